"""``advisor search``: hybrid search from the command line, one query, a batch, or the dev-set evaluation."""

from __future__ import annotations

import difflib
import json
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import click

from advisor.cli.aliases import run_command
from advisor.cli.index_access import index_errors, open_retriever
from advisor.settings import Settings
from knowledge.index.retriever import Mode
from knowledge.schema import RecordKind, SearchFilters, SearchResult

if TYPE_CHECKING:
    from knowledge.index import HybridRetriever

MODES = get_args(SearchResult.model_fields["mode"].annotation)


def _known_values(retriever: HybridRetriever) -> dict[str, set[str]]:
    from knowledge.index.codec import company_key, company_of

    records = retriever.records()
    return {
        "source": {r.source_id for r in records},
        "company": {company_key(c) for r in records if (c := company_of(r))},
        "tag": {t for r in records for t in r.tags},
    }


def _check(option: str, given: Iterable[str], known: set[str]) -> None:
    from knowledge.index.codec import company_key

    for value in given:
        probe = company_key(value) if option == "company" else value
        if probe in known:
            continue
        close = difflib.get_close_matches(probe, sorted(known), n=5, cutoff=0.5)
        hint = (
            f"did you mean: {', '.join(close)}"
            if close
            else f"{len(known)} known values, e.g. {', '.join(sorted(known)[:8])}"
        )
        raise click.BadParameter(f"no record has {option} {value!r}; {hint}", param_hint=f"--{option}")


def build_filters(
    retriever: HybridRetriever,
    kinds: tuple[str, ...],
    sources: tuple[str, ...],
    companies: tuple[str, ...],
    tags: tuple[str, ...],
    no_user_docs: bool,
) -> SearchFilters | None:
    """Turn the options into filters, refusing values no record has (a typo would silently find nothing)."""
    known = _known_values(retriever) if (sources or companies or tags) else {}
    _check("source", sources, known.get("source", set()))
    _check("company", companies, known.get("company", set()))
    _check("tag", tags, known.get("tag", set()))
    filters = SearchFilters(
        kinds=[RecordKind(k) for k in kinds] or None,
        sources=list(sources) or None,
        companies=list(companies) or None,
        tags=list(tags) or None,
        include_user_docs=not no_user_docs,
    )
    return None if filters == SearchFilters() else filters


def render_table(result: SearchResult) -> str:
    if not result.hits:
        return f"no results for {result.query!r} ({result.mode})"
    lines = [f"{len(result.hits)} results for {result.query!r} ({result.mode})", ""]
    for rank, hit in enumerate(result.hits, start=1):
        who = ", ".join(p for p in (hit.speaker, hit.company) if p)
        where = " — ".join(p for p in (hit.title, hit.section, who) if p)
        lines.append(f"{rank}. [{hit.kind}] {hit.passage_id}  score {hit.score:.4f}")
        lines.append(textwrap.indent(textwrap.fill(where, width=96), "   "))
        text = textwrap.shorten(hit.text, width=400, placeholder=" …")
        lines.append(textwrap.indent(textwrap.fill(text, width=96), "   > "))
        lines.append("")
    return "\n".join(lines).rstrip()


def _hits_json(result: SearchResult) -> list[dict[str, Any]]:
    return [hit.model_dump(mode="json") for hit in result.hits]


def run_batch(retriever: HybridRetriever, path: Path, k: int, filters: SearchFilters | None, mode: Mode, out) -> int:
    """One output line per input line; a bad line gets ``{"id", "error"}`` and the batch goes on."""
    failures = 0
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                data = json.loads(raw)
                if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                    raise ValueError("expected an object with 'id' and a string 'message'")
            except ValueError as exc:
                failures += 1
                reason = f"{path}:{number}: {exc}"
                click.echo(reason, err=True)
                out.write(json.dumps({"id": None, "error": reason}) + "\n")
                continue
            result = retriever.search(data["message"], k=k, filters=filters, mode=mode)
            out.write(json.dumps({"id": data.get("id"), "hits": _hits_json(result)}, ensure_ascii=False) + "\n")
            out.flush()
    return failures


@click.command("search")
@click.argument("query", required=False)
@click.option("--k", "k", default=5, show_default=True, type=click.IntRange(1, 100), help="How many results.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice([k.value for k in RecordKind]), help="Repeatable.")
@click.option("--source", "sources", multiple=True, help="Source id (e.g. mlbc, ops_playbook); repeatable.")
@click.option("--company", "companies", multiple=True, help="Company of a quoted expert; repeatable.")
@click.option("--tag", "tags", multiple=True, help="Framework tag such as phase:productionizing; repeatable.")
@click.option("--no-user-docs", is_flag=True, help="Leave out documents you added yourself.")
@click.option("--mode", type=click.Choice(MODES), default="hybrid", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the hits as a JSON list.")
@click.option("--batch", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="JSONL of {id, message}.")
@click.option(
    "--evaluate",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Score dense, BM25 and hybrid on a retrieval dev set (recall@5, MRR@10); "
    "the same as advisor eval --file FILE --task retrieval.",
)
@click.pass_obj
def search(
    settings: Settings,
    query: str | None,
    k: int,
    kinds: tuple[str, ...],
    sources: tuple[str, ...],
    companies: tuple[str, ...],
    tags: tuple[str, ...],
    no_user_docs: bool,
    mode: Mode,
    as_json: bool,
    batch: Path | None,
    evaluate: Path | None,
) -> None:
    """Search the corpus and your documents: QUERY, or --batch FILE, or --evaluate DEV_SET."""
    if sum(x is not None for x in (query, batch, evaluate)) != 1:
        raise click.UsageError("give exactly one of QUERY, --batch FILE or --evaluate FILE")
    with index_errors():
        if evaluate is not None:  # an alias of `advisor eval --file FILE --task retrieval`
            run_command(click.get_current_context(), ["eval"], case_file=evaluate, task="retrieval", as_json=as_json)
            return
        retriever = open_retriever(settings)
        filters = build_filters(retriever, kinds, sources, companies, tags, no_user_docs)
        if batch is not None:
            failures = run_batch(retriever, batch, k, filters, mode, sys.stdout)
            if failures:
                raise click.exceptions.Exit(1)
            return
        assert query is not None
        result = retriever.search(query, k=k, filters=filters, mode=mode)
    click.echo(json.dumps(_hits_json(result), indent=2, ensure_ascii=False) if as_json else render_table(result))


def register(group: click.Group) -> None:
    group.add_command(search)
