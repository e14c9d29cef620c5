"""``advisor knowledge stats|show|build --check`` through click's CliRunner."""

from __future__ import annotations

from click.testing import CliRunner

from advisor.cli.main import cli


def test_stats_prints_counts_per_source_and_kind(corpus_records):
    result = CliRunner().invoke(cli, ["knowledge", "stats"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["source", "passage", "quote", "playbook_step", "total"]
    row = next(line for line in lines if line.startswith("mlbc "))
    passages = sum(1 for r in corpus_records if r.source_id == "mlbc" and r.kind == "passage")
    quotes = sum(1 for r in corpus_records if r.source_id == "mlbc" and r.kind == "quote")
    assert row.split() == ["mlbc", str(passages), str(quotes), "0", str(passages + quotes)]
    assert next(line for line in lines if line.startswith("all ")).split()[-1] == str(len(corpus_records))
    assert "spans cover" in result.output and "corpus version" in result.output


def test_show_prints_a_quote_with_its_attribution():
    result = CliRunner().invoke(cli, ["knowledge", "show", "impl_scaling:quote:heather-nolis:01"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "kind:     quote" in out and "speaker:  Heather Nolis" in out and "company:  T-Mobile" in out
    assert "industry: Telecommunications" in out and "phase:proving_concept" in out
    assert "implementing_scaling_ai.txt, lines 435-437" in out
    assert "We originally released our models in R." in out


def test_show_prints_a_playbook_step_with_phase_months_owner():
    result = CliRunner().invoke(cli, ["knowledge", "show", "ops_playbook:step:foundation-first:03"])
    assert result.exit_code == 0, result.output
    assert "phase:    Foundation First" in result.output and "months:   Months 1-3" in result.output
    assert "owner:    Sarah Chen, VP of Operations, Jasper AI" in result.output
    assert "Implement basic automation for critical processes" in result.output


def test_show_unknown_id_fails_clearly():
    result = CliRunner().invoke(cli, ["knowledge", "show", "mlbc:quote:nobody:01"])
    assert result.exit_code == 1
    assert "unknown record id 'mlbc:quote:nobody:01'" in result.output


def test_build_check_fails_on_a_stale_file_and_build_repairs_it(tmp_path, monkeypatch):
    import knowledge.corpus.paths as paths

    stale = tmp_path / "records.jsonl"
    lines = paths.RECORDS_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    stale.write_text("".join(lines[:-1]), encoding="utf-8")  # one record lost
    monkeypatch.setattr(paths, "RECORDS_FILE", stale)
    runner = CliRunner()
    result = runner.invoke(cli, ["knowledge", "build", "--check"])
    assert result.exit_code == 1 and "stale" in result.output
    result = runner.invoke(cli, ["knowledge", "build"])
    assert result.exit_code == 0 and f"wrote {len(lines)} records" in result.output
    assert stale.read_text(encoding="utf-8") == "".join(lines)  # so `build --check` now passes (same comparison)
