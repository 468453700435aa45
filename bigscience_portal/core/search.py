"""Full-text search that behaves the same on SQLite (``make run``) and on PostgreSQL.

Text is normalised in Python, not by the database, so both databases see the same terms
(docs/search.md says why):

* **fold**: lower case, accents stripped ("Équipement" -> "equipement", "Kälte" -> "kalte");
* **words**: Unicode word tokens of at least two letters (three when the token has digits, so
  "1e" and "G10" are not words, "Nb3Sn" is);
* **stems**: PyStemmer's Snowball stemmer of the text's language where one exists, else the
  first six letters (Bulgarian, Latvian, Maltese, Slovenian); the folded word is indexed beside
  its stem, so an exact word always finds itself.

A model that is searchable stores these stems in one or two text columns (the weighted "A"
column: titles, names; the "B" column: descriptions). The database indexes those columns with
its own full-text engine: an FTS5 table kept by triggers on SQLite (ranked by ``bm25()``), a
``tsvector`` column kept by a trigger with the ``simple`` configuration and a GIN index on
PostgreSQL (ranked by ``ts_rank``). :func:`search_index_operations` writes both for a migration;
:func:`apply_search` filters and ranks a queryset on either.

A query's language is not known, so each query word is stemmed in every language and matches
any of its stems ("kryogen" finds the German "kryogenen Ventile", whose German stem is
"kryog"); the words of a query must all match (AND), a word written ``-word`` must not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
from django.db.models import F, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from .stemming import SNOWBALL, TRUNCATE, fold, is_word, stem  # noqa: F401 (search.fold, ...)

#: the language a text without a known language is stemmed in
DEFAULT_LANGUAGE = "en"
#: at most this many words of a query are used (the rest is ignored, never an error)
MAX_QUERY_WORDS = 10
#: an indexed column keeps at most this many characters of stems
MAX_INDEXED_CHARS = 60_000

_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
# a minus excludes a word only at the start of a query word ("-optics", not "x-ray")
_QUERY_RE = re.compile(r"(?:(?<!\S)(-))?([^\W_]+)", re.UNICODE)


def words(text: str) -> list[str]:
    """The lower-cased (not yet folded) words of a text, in order."""
    return [t for t in _TOKEN_RE.findall((text or "").lower()) if is_word(t)]


def index_terms(text: str, language: str | None = None) -> list[str]:
    """The terms a text is indexed under: per word its stem and, when different, the folded
    word itself."""
    language = (language or DEFAULT_LANGUAGE).lower()[:2]
    if language not in SNOWBALL and language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    terms: list[str] = []
    for word in words(text):
        terms.extend(_word_terms(word, language))
    return terms


@lru_cache(maxsize=200_000)
def _word_terms(word: str, language: str) -> tuple[str, ...]:
    stemmed, folded = stem(word, language), fold(word)
    return (stemmed,) if folded == stemmed else (stemmed, folded)


def index_text(*texts: str, language: str | None = None) -> str:
    """One indexed column: the terms of ``texts`` joined by spaces (bounded in length)."""
    joined = " ".join(" ".join(index_terms(t, language)) for t in texts if t)
    if len(joined) > MAX_INDEXED_CHARS:
        joined = joined[:MAX_INDEXED_CHARS].rsplit(" ", 1)[0]
    return joined


#: the 24 official EU languages
LANGUAGES = (
    "bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv".split()  # noqa: SIM905
)


def query_alternatives(word: str, *, truncated: bool = True) -> frozenset[str]:
    """Every term one query word may be indexed under: its folded form and its stem in each
    language (without the six-letter cuts of the languages lacking a stemmer when
    ``truncated`` is false: a look-up matching word starts would find "vakuum..." for
    "vakuumpumpe")."""
    word = word.lower()
    forms = {word, fold(word)}  # "CRYOGÉNICS" is also looked up as "cryogenics"
    languages = LANGUAGES if truncated else tuple(SNOWBALL)
    return frozenset({fold(word), *(stem(w, lang) for w in forms for lang in languages)})


@dataclass(frozen=True)
class Query:
    """A parsed search: each included word as its alternatives, and the excluded words."""

    include: tuple[frozenset[str], ...] = field(default_factory=tuple)
    exclude: tuple[frozenset[str], ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.include)

    def fts5(self) -> str:
        """An SQLite FTS5 MATCH expression ('("a" OR "b") AND "c" NOT "d"')."""

        def group(alternatives):
            return "(" + " OR ".join(f'"{t}"' for t in sorted(alternatives)) + ")"

        expression = " AND ".join(group(a) for a in self.include)
        for alternatives in self.exclude:
            expression += " NOT " + group(alternatives)
        return expression

    def tsquery(self) -> str:
        """A PostgreSQL ``to_tsquery('simple', ...)`` expression ("(a | b) & c & !d")."""

        def group(alternatives):
            return "(" + " | ".join(f"'{t}'" for t in sorted(alternatives)) + ")"

        parts = [group(a) for a in self.include]
        parts += ["!" + group(a) for a in self.exclude]
        return " & ".join(parts)


def parse_query(text: str, *, truncated: bool = True) -> Query:
    """The words of a typed search, each with its alternatives; ``-word`` excludes a word.

    Not a word (punctuation, a lone letter, "1e") is ignored; at most MAX_QUERY_WORDS words."""
    include: list[frozenset[str]] = []
    exclude: list[frozenset[str]] = []
    for minus, token in _QUERY_RE.findall((text or "")[:1000]):
        if not is_word(token.lower()) or len(include) + len(exclude) >= MAX_QUERY_WORDS:
            continue
        (exclude if minus else include).append(query_alternatives(token, truncated=truncated))
    return Query(include=tuple(include), exclude=tuple(exclude))


# --- the database side ---------------------------------------------------------------------


def fts_table(db_table: str) -> str:
    return f"{db_table}_fts"


def apply_search(queryset: QuerySet, text: str, *, weights: tuple[float, ...] = (10.0, 1.0)):
    """``queryset`` narrowed to the rows that match ``text``, annotated with ``rank`` (higher is
    better) - one query on either database. An empty query (no words) leaves it unfiltered;
    only excluded words or nothing that is a word leaves nothing.

    The model needs the indexed columns and their index (:func:`search_index_operations`)."""
    query = parse_query(text)
    if not query:
        return queryset.none() if (text or "").strip() else queryset
    table = queryset.model._meta.db_table
    pk = queryset.model._meta.pk.column
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        ts = SearchQuery(query.tsquery(), config="simple", search_type="raw")
        return queryset.filter(search_vector=ts).annotate(
            rank=SearchRank(F("search_vector"), ts, weights=[0.0, 0.0, 0.4, 1.0])
        )
    fts = fts_table(table)
    match = query.fts5()
    first_column = queryset.model.SEARCH_COLUMNS[0]
    weight_list = ", ".join(str(float(w)) for w in weights)
    # bm25's IDF is clamped to ~0 for a word in half the rows or more, which in a small table
    # leaves a title match no better than a description match: a match in the first (title)
    # column ranks first, bm25 orders within. The names come from the model, the weights are
    # floats; the query is a parameter.
    matching_sql = f'SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s'  # noqa: S608
    rank_sql = (
        f'(SELECT -bm25("{fts}", {weight_list}) FROM "{fts}" '  # noqa: S608
        f'WHERE "{fts}" MATCH %s AND rowid = "{table}"."{pk}") + 1000.0 * EXISTS('
        f'SELECT 1 FROM "{fts}" WHERE "{fts}" MATCH %s AND rowid = "{table}"."{pk}")'
    )
    matching = RawSQL(matching_sql, [match])  # noqa: S611
    rank = RawSQL(  # noqa: S611
        rank_sql,
        [match, f"{{{first_column}}} : ({match})"],
        output_field=FloatField(),
    )
    return queryset.filter(pk__in=matching).annotate(rank=rank)


def _postgres_sql(table: str, columns: list[str]) -> tuple[list[str], list[str]]:
    weights = "ABCD"
    vector = " || ".join(
        f"setweight(to_tsvector('simple', coalesce(NEW.{c}, '')), '{weights[i]}')"
        for i, c in enumerate(columns)
    )
    function, trigger, index = (
        f"{table}_search_update",
        f"{table}_search_trigger",
        f"{table}_search_gin",
    )
    forward = [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
        BEGIN
            NEW.search_vector := {vector};
            RETURN NEW;
        END
        $$ LANGUAGE plpgsql;""",
        f"DROP TRIGGER IF EXISTS {trigger} ON {table};",
        f"""CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE OF {", ".join(columns)} ON {table}
        FOR EACH ROW EXECUTE FUNCTION {function}();""",
        f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (search_vector);",
    ]
    backward = [
        f"DROP INDEX IF EXISTS {index};",
        f"DROP TRIGGER IF EXISTS {trigger} ON {table};",
        f"DROP FUNCTION IF EXISTS {function}();",
    ]
    return forward, backward


def _sqlite_sql(table: str, columns: list[str], pk: str = "id") -> tuple[list[str], list[str]]:
    # identifiers only, from the migrations' own constants: nothing a user typed
    fts = fts_table(table)
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.{pk}, {new});"  # noqa: S608
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.{pk}, {old});"  # noqa: S608
    forward = [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', "
        f"content_rowid='{pk}', tokenize='unicode61 remove_diacritics 2');",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END;",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END;",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {cols} ON {table} "
        f"BEGIN {delete} {insert} END;",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild');",  # noqa: S608
    ]
    backward = [
        f"DROP TRIGGER IF EXISTS {fts}_ai;",
        f"DROP TRIGGER IF EXISTS {fts}_ad;",
        f"DROP TRIGGER IF EXISTS {fts}_au;",
        f"DROP TABLE IF EXISTS {fts};",
    ]
    return forward, backward


def search_index_sql(vendor: str, table: str, columns: list[str]) -> tuple[list[str], list[str]]:
    """(forward, backward) statements that index ``columns`` of ``table`` on ``vendor``."""
    if vendor == "postgresql":
        return _postgres_sql(table, columns)
    if vendor == "sqlite":
        return _sqlite_sql(table, columns)
    return [], []


def search_index_operations(table: str, columns: list[str]):
    """A migration's RunPython: the database's full-text index of the stem ``columns``."""
    from django.db import migrations

    def forward(apps, schema_editor):
        for statement in search_index_sql(schema_editor.connection.vendor, table, columns)[0]:
            schema_editor.execute(statement)

    def backward(apps, schema_editor):
        for statement in search_index_sql(schema_editor.connection.vendor, table, columns)[1]:
            schema_editor.execute(statement)

    return migrations.RunPython(forward, backward)


# --- the model side --------------------------------------------------------------------------


class SearchIndexedQuerySet(models.QuerySet):
    """``bulk_create`` fills the stem columns too (it calls no ``save()``)."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.fill_search_columns()
        return super().bulk_create(objs, *args, **kwargs)


class Searchable(models.Model):
    """A model found by full-text search: its stems in ``search_title`` (weight A: titles,
    names, references) and ``search_body`` (weight B: descriptions), filled on every save from
    :meth:`search_texts`, and indexed by the database (:func:`search_index_operations`).

    ``search_vector`` is PostgreSQL's ``tsvector`` of those columns, kept by a trigger; SQLite
    keeps an FTS5 table instead and leaves the column empty. A queryset ``update()`` of a text
    field bypasses ``save()``: call :meth:`fill_search_columns` and save after such a write."""

    search_title = models.TextField(blank=True, default="", editable=False)
    search_body = models.TextField(blank=True, default="", editable=False)
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    SEARCH_COLUMNS = ["search_title", "search_body"]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_search_columns()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *self.SEARCH_COLUMNS}
        super().save(*args, **kwargs)

    def search_texts(self) -> tuple[str | None, list[str], list[str]]:
        """(language or None, texts of weight A, texts of weight B)."""
        raise NotImplementedError

    def fill_search_columns(self) -> None:
        language, title_texts, body_texts = self.search_texts()
        self.search_title = index_text(*title_texts, language=language)
        self.search_body = index_text(*body_texts, language=language)


def refill_operation(app_label: str, model_name: str, build, *, columns: list[str]):
    """A migration's RunPython filling stem ``columns`` of existing rows: ``build(row)`` returns
    {column: text} from a historical model instance (no model methods in migrations)."""
    from django.db import migrations

    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        batch = []
        for row in model.objects.using(schema_editor.connection.alias).iterator(chunk_size=1000):
            for column, value in build(row).items():
                setattr(row, column, value)
            batch.append(row)
            if len(batch) >= 1000:
                model.objects.bulk_update(batch, columns)
                batch = []
        if batch:
            model.objects.bulk_update(batch, columns)

    return migrations.RunPython(forward, migrations.RunPython.noop)


# --- look-ups of small fixed tables (CPV, NACE) ----------------------------------------------


def lookup_text(labels: dict[str, str]) -> str:
    """The distinct terms of labels in several languages ({language: label}), each stemmed in
    its own language, as " term term ... " (a leading space lets a look-up match word starts)."""
    terms = {t for lang, label in labels.items() if label for t in index_terms(label, lang)}
    return " " + " ".join(sorted(terms)) + " "


def lookup_q(field_name: str, query: Query):
    """A ``Q`` on a :func:`lookup_text` column: every included word starts one of its terms
    (in any language), no excluded word does. Portable: plain ``LIKE``, no index needed for
    tables of a few thousand rows."""
    condition = models.Q()
    for alternatives in query.include:
        any_of = models.Q()
        for term in sorted(alternatives):
            any_of |= models.Q(**{f"{field_name}__contains": " " + term})
        condition &= any_of
    for alternatives in query.exclude:
        for term in sorted(alternatives):
            condition &= ~models.Q(**{f"{field_name}__contains": " " + term})
    return condition
