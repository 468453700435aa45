"""The one background-work pattern, on the e-mail record: written with the change, sent after
the commit, claimed once, never sent twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from bigscience_portal.core import records
from bigscience_portal.core.mail import mail_queue, one_line
from bigscience_portal.core.models import MailDelivery
from bigscience_portal.core.tasks import send_mail

pytestmark = pytest.mark.django_db
Status = MailDelivery.Status


def test_a_mail_is_a_record_written_with_the_change_and_sent_after_the_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        mail_queue(
            key="test.hello", to=["a@example.org", "b@example.org"], subject="Hi", body="Hello"
        )
        assert MailDelivery.objects.filter(status=Status.QUEUED).count() == 2
        assert mail.outbox == []
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert set(MailDelivery.objects.values_list("status", flat=True)) == {Status.SUCCEEDED}
    assert all(d.enqueued_at for d in MailDelivery.objects.all())


def test_nothing_is_mailed_when_the_change_rolls_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        mail_queue(key="test.rollback", to="a@example.org", subject="Hi", body="Hello")
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert not MailDelivery.objects.exists()
    assert mail.outbox == []


def test_the_same_occasion_mails_nobody_twice(django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            mail_queue(key="test.once", to="a@example.org", subject="Hi", body="Hello")
    assert MailDelivery.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_retry_after_sending_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = mail_queue(key="test.retry", to="a@example.org", subject="Hi", body="Hello")
    assert len(mail.outbox) == 1
    assert send_mail.apply(args=[delivery.pk]).get() is False
    assert len(mail.outbox) == 1


class FailAfter:
    """An e-mail backend that accepts ``limit`` messages and then fails (a mail server outage)."""

    sent: list = []
    limit = 3

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        if len(FailAfter.sent) >= FailAfter.limit:
            raise ConnectionError("mail server went away")
        FailAfter.sent.extend(messages)
        return len(messages)


def test_a_failure_after_the_third_of_five_mails_loses_none_and_repeats_none():
    with transaction.atomic():
        deliveries = [
            mail_queue(key=f"test.five:{n}", to=f"p{n}@example.org", subject="Hi", body="Hi")[0]
            for n in range(5)
        ]
    FailAfter.sent = []

    def attempt(delivery):
        """One attempt, as a worker makes it: the task's body; a failure marks the record
        retrying (the task's ``on_retry``), to be tried again later."""
        try:
            send_mail.run(delivery.pk)
        except ConnectionError as exc:
            records.mark(MailDelivery, delivery.pk, status=Status.RETRYING, error=str(exc))

    with override_settings(EMAIL_BACKEND="tests.core.test_records.FailAfter"):
        for delivery in deliveries:
            attempt(delivery)
        assert len(FailAfter.sent) == 3
        assert MailDelivery.objects.filter(status=Status.SUCCEEDED).count() == 3
        left = MailDelivery.objects.exclude(status=Status.SUCCEEDED)
        assert left.count() == 2
        assert all("mail server went away" in d.error for d in left)
        FailAfter.limit = 10  # the server is back: the retry sends the other two, only them
        for delivery in deliveries:
            attempt(delivery)
    FailAfter.limit = 3
    assert sorted(m.to[0] for m in FailAfter.sent) == [f"p{n}@example.org" for n in range(5)]
    assert MailDelivery.objects.filter(status=Status.SUCCEEDED).count() == 5


def test_a_record_is_claimed_by_one_execution_only():
    with transaction.atomic():
        (delivery,) = mail_queue(key="test.claim", to="a@example.org", subject="Hi", body="Hi")
    first = records.claim(MailDelivery, delivery.pk, task_id="t-1")
    assert first is not None and first.status == Status.RUNNING and first.attempts == 1
    assert records.claim(MailDelivery, delivery.pk, task_id="t-2") is None
    # its own message redelivered (the worker died: acks_late) takes it over
    again = records.claim(MailDelivery, delivery.pk, task_id="t-1")
    assert again is not None and again.attempts == 2


def test_a_record_left_running_by_a_dead_worker_is_taken_over_when_stale():
    with transaction.atomic():
        (delivery,) = mail_queue(key="test.stale", to="a@example.org", subject="Hi", body="Hi")
    records.claim(MailDelivery, delivery.pk, task_id="dead")
    MailDelivery.objects.filter(pk=delivery.pk).update(
        started_at=timezone.now() - MailDelivery.stale_after - timedelta(seconds=1)
    )
    assert records.claim(MailDelivery, delivery.pk, task_id="another") is not None


def test_the_sweeper_hands_over_what_the_broker_never_took():
    with transaction.atomic():
        (delivery,) = mail_queue(key="test.sweep", to="a@example.org", subject="Hi", body="Hi")
    # the commit's hand-over never happened (the test's transaction is never committed)
    assert MailDelivery.objects.get(pk=delivery.pk).enqueued_at is None
    assert records.sweep() == 1
    assert MailDelivery.objects.get(pk=delivery.pk).status == Status.SUCCEEDED
    assert len(mail.outbox) == 1
    assert records.sweep() == 0


def test_subjects_stay_on_one_line_whatever_was_stored():
    assert one_line("Cryostat\r\nBcc: victim@example.org") == "Cryostat Bcc: victim@example.org"
    assert len(one_line("x" * 500)) == 200
