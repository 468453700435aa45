"""The stage-gate rules (``innovation.process``), on plain data: no skipping, no gate with a
required deliverable missing, a stop from any open stage, nothing after the end."""

from innovation import process


def _all_required(stage):
    return {d.key for d in process.checklist(stage) if d.required}


def test_a_go_leads_only_to_the_next_stage():
    done = _all_required(process.NEED)
    assert process.gate_problems(process.NEED, process.OPEN, process.GO, done) == []
    problems = process.gate_problems(process.NEED, process.PILOT, process.GO, done)
    assert problems and "Pilot cannot be reached now" in problems[0]


def test_a_gate_is_not_passed_with_a_required_deliverable_missing():
    done = _all_required(process.SELECTION) - {"gdpr_security_check"}
    problems = process.gate_problems(process.SELECTION, process.PILOT, process.GO, done)
    assert problems == ["The gate cannot be passed: GDPR and cyber-security check done."]


def test_an_optional_deliverable_is_not_needed():
    done = _all_required(process.OPEN)
    assert "market_dialogue" not in done
    assert process.gate_problems(process.OPEN, process.PROPOSALS, process.GO, done) == []


def test_the_evaluation_leads_to_scale_up_or_procurement():
    done = _all_required(process.EVALUATION)
    for outcome in (process.SCALE_UP, process.PROCUREMENT):
        assert process.gate_problems(process.EVALUATION, outcome, process.GO, done) == []


def test_a_stop_ends_any_open_stage_and_nothing_follows_the_end():
    assert process.gate_problems(process.PILOT, process.STOPPED, process.STOP, set()) == []
    for final in process.FINAL:
        problems = process.gate_problems(final, process.OPEN, process.GO, set())
        assert problems and "there is no gate left" in problems[0]


def test_missing_lists_the_required_items_not_done():
    keys = [d.key for d in process.missing(process.PILOT, {"pilot_plan"})]
    assert keys == ["standards_architecture", "pilot_report"]
