"""``advisor`` subcommands contributed by the evals package (loaded through an entry point)."""

from __future__ import annotations

from pathlib import Path

import click

from advisor.llm.factory import PROVIDERS
from advisor.settings import Settings


def _table(outcome) -> str:
    checks = {c.name: c for c in outcome.gate.checks} if outcome.gate else {}
    lines = [f"{'metric':<24}{'value':>10}{'n':>6}{'baseline':>10}  gate"]
    for metric in outcome.run.metrics:
        unit_fmt = "{:.0f}" if metric.unit == "ms" else "{:.3f}"
        value = unit_fmt.format(metric.value) if metric.value is not None else "-"
        check = checks.get(metric.name)
        base = unit_fmt.format(check.baseline) if check and check.baseline is not None else "-"
        verdict = ("skipped" if check.skipped else "ok" if check.passed else "REGRESSED") if check else ""
        lines.append(f"{metric.name:<24}{value:>10}{metric.n:>6}{base:>10}  {verdict}")
    return "\n".join(lines)


def register(group: click.Group) -> None:
    """Attach this package's subcommands to the ``advisor`` group."""

    @group.command("eval")
    @click.option("--set", "set_name", default="full", show_default=True, help="Eval set from evals/sets/sets.yaml.")
    @click.option(
        "--provider",
        type=click.Choice(PROVIDERS),
        default="none",
        show_default=True,
        help="Who writes the answers: none (the offline composer, the gate's default), local (the bundled model), "
        "openai or ollama. ADVISOR_LLM_PROVIDER does not change this default: a gate compares like with like.",
    )
    @click.option(
        "--out",
        "out_dir",
        type=click.Path(path_type=Path),
        default=None,
        help="Report folder (default: $ADVISOR_DATA_DIR/eval-reports/<set>-<provider>).",
    )
    @click.option(
        "--update-baseline", is_flag=True, help="Record this run as the new baseline (on purpose); no gate check."
    )
    @click.option("--k", type=click.IntRange(min=1), default=None, help="Cap every retrieval depth at N.")
    @click.option("--judge", is_flag=True, help="Add LLM-judged faithfulness using the provider's model.")
    @click.option("--no-gate", is_flag=True, help="Report only; do not compare with the baseline.")
    @click.option("--quiet", is_flag=True, help="No progress bar.")
    @click.option(
        "--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Cases asked in parallel."
    )
    @click.pass_obj
    def eval_command(
        settings: Settings,
        set_name: str,
        provider: str | None,
        out_dir: Path | None,
        update_baseline: bool,
        k: int | None,
        judge: bool,
        no_gate: bool,
        quiet: bool,
        workers: int,
    ) -> None:
        """Run an eval set through Advisor.ask, write a report, and gate on the stored baseline.

        Exits 1 when any metric drops beyond its tolerance (evals/gate.yaml) against
        evals/baselines/<set>.json (or <set>.<provider>.json for LLM providers).
        """
        from evals.gate import GateError
        from evals.loader import SetLoadError
        from evals.session import EvalOptions, run_eval

        options = EvalOptions(
            set_name=set_name,
            provider=provider,
            out_dir=out_dir,
            update_baseline=update_baseline,
            k=k,
            judge=judge,
            gate=not no_gate,
            progress=not quiet,
            workers=workers,
        )
        try:
            outcome = run_eval(settings, options)
        except (SetLoadError, GateError, ValueError) as exc:
            raise click.ClickException(str(exc)) from exc
        info = outcome.run.info
        click.echo(
            f"set {info.set_name} v{info.set_version}, provider {info.provider}, {info.cases} cases, "
            f"{info.errors} errors, {info.duration_s:.1f} s"
        )
        click.echo(_table(outcome))
        if outcome.gate is not None:
            for line in [*outcome.gate.problems, *outcome.gate.notes]:
                click.echo(f"gate: {line}")
        click.echo(
            f"report: {outcome.files.html} (also {outcome.files.markdown.name}, "
            f"{outcome.files.results_json.name}, {outcome.files.chart.name})"
        )
        if outcome.message:
            click.echo(outcome.message)
        if outcome.exit_code:
            raise SystemExit(outcome.exit_code)
