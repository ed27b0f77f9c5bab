"""docgen against datamodel-code-generator on the Graph v1.0 corpus, side by side.

    pip install -e '.[bench]'
    python bench/run.py [--runs 3] [--quick] [--corpus DIR] [--json FILE]

See bench/README.md for what is measured and the targets. Every timed command
runs as its own process; runs of the scenarios are interleaved, so the load of
a busy machine falls on docgen and the peer alike.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from ir_schema import to_schema  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared/corpus/graph-docs-2021-07/api-reference/v1.0/resources"
EDIT_PAGE = "driveitem.md"  # the page the "one page changed" scenario edits
PACKAGE = "graph_models"
PY = sys.executable

# Acceptance targets (issues 5 and 16).
TARGETS = {
    "cold": 0.5,  # docgen / peer, wall
    "cold_cpu": 1.0,  # docgen / peer, CPU (user + sys with the workers)
    "warm": 0.1,
    "one_page": 0.15,
    "check": 1.2,  # check / warm build
    "memory_mb": 400.0,
    "import_package_ms": 50.0,
    "import_model_ms": 30.0,
}


@dataclass
class Result:
    seconds: float
    cpu: float  # user + system, with reaped children (the pool's workers)
    maxrss_mb: float
    returncode: int
    stderr: str


@dataclass
class Series:
    results: list[Result] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.results)

    @property
    def cpu_median(self) -> float:
        return statistics.median(r.cpu for r in self.results)

    @property
    def peak_mb(self) -> float:
        return max(r.maxrss_mb for r in self.results)


def run(
    cmd: Sequence[str | Path], *, env: dict[str, str], stdout: Path | None = None, ok: bool = True
) -> Result:
    """Run `cmd`, timing its wall clock; ru_maxrss covers it and the children it reaped."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    err = tempfile.TemporaryFile()
    try:
        start = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if stdout:
            out.close()  # type: ignore[union-attr]
    err.seek(0)
    stderr = err.read().decode("utf-8", "replace")
    err.close()
    if ok and proc.returncode != 0:
        raise SystemExit(f"bench: command failed ({proc.returncode}): {cmd}\n{stderr}")
    cpu = usage.ru_utime + usage.ru_stime
    return Result(seconds, cpu, usage.ru_maxrss / 1024, proc.returncode, stderr)


def edit_page(page: Path, token: str) -> None:
    """Change one property description of `page` (its first table row after the header)."""
    lines = page.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if re.match(r"^\|?\s*:?-{3,}.*\|", line) and "|" in following:
            row = following.rstrip()
            trail = row.endswith("|") and row.count("|") > 1
            body = row[:-1] if trail else row
            cut = body.rindex("|") + 1
            lines[i + 1] = f"{body[:cut]} Edited {token}.{body[cut:]}" + ("|" if trail else "")
            page.write_text("\n".join(lines), encoding="utf-8")
            return
    raise SystemExit(f"bench: no table row to edit in {page}")


def read_tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def import_times(out: Path, samples: int, env: dict[str, str]) -> dict[str, float]:
    """Median wall time of fresh interpreters, minus the bare interpreter's, in ms.

    The package is byte-compiled first, as an install would (this machine sets
    PYTHONDONTWRITEBYTECODE). Also the in-process time of the import statement.
    """
    subprocess.run([PY, "-m", "compileall", "-q", str(out / PACKAGE)], check=True, env=env)
    env = {**env, "PYTHONPATH": str(out)}
    timer = "import time as _t; _s=_t.perf_counter(); {}; print(_t.perf_counter()-_s)"
    statements = {
        "bare": "pass",
        "package": f"import {PACKAGE}",
        "model": f"from {PACKAGE} import DriveItem",
    }
    wall: dict[str, list[float]] = {k: [] for k in statements}
    inproc: dict[str, list[float]] = {k: [] for k in statements}
    for _ in range(samples):
        for name, stmt in statements.items():
            start = time.perf_counter()
            done = subprocess.run(
                [PY, "-c", timer.format(stmt)], env=env, capture_output=True, text=True, check=True
            )
            wall[name].append(time.perf_counter() - start)
            inproc[name].append(float(done.stdout))
    bare = statistics.median(wall["bare"])
    figures = {}
    for name in ("package", "model"):
        figures[f"import_{name}_ms"] = (statistics.median(wall[name]) - bare) * 1000
        figures[f"import_{name}_inprocess_ms"] = statistics.median(inproc[name]) * 1000
    figures["bare_interpreter_ms"] = bare * 1000
    return figures


def stages(docs: Path, out: Path, env: dict[str, str], *extra: str) -> dict[str, object]:
    cmd = [PY, str(HERE / "stages.py"), str(docs), str(out), *extra]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench: stages failed: {done.stderr}")
    data: dict[str, object] = json.loads(done.stdout)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (default 3)")
    parser.add_argument("--quick", action="store_true", help="1 run, 5 import samples")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, help="passed to docgen --jobs (default: all cores)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else max(1, args.runs)
    samples = 5 if args.quick else 10
    if not args.corpus.is_dir():
        raise SystemExit(f"bench: corpus not found: {args.corpus}")

    tmp = Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    try:
        return _bench(args, tmp, runs, samples)
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _bench(args: argparse.Namespace, tmp: Path, runs: int, samples: int) -> int:
    docs = tmp / "docs"
    shutil.copytree(args.corpus, docs)
    env = {**os.environ, "DOCGEN_CACHE_DIR": str(tmp / "cache")}
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    docgen = [PY, "-m", "docgen"]
    pages = len(list(docs.rglob("*.md")))

    # The peer's input: a JSON Schema derived from docgen's own parse.
    ir_path, schema_path = tmp / "ir.json", tmp / "schema.json"
    run([*docgen, "parse", docs, "--json"], env=env, stdout=ir_path)
    ir = json.loads(ir_path.read_text(encoding="utf-8"))
    schema_path.write_text(json.dumps(to_schema(ir), indent=1, sort_keys=True), encoding="utf-8")
    peer_plain = [
        PY, "-m", "datamodel_code_generator",
        "--input", schema_path, "--input-file-type", "jsonschema",
        "--output-model-type", "dataclasses.dataclass",
        "--formatters", "black", "isort",
        "--target-python-version", "3.10", "--disable-timestamp",
        "--output", tmp / "peer.py",
    ]  # fmt: skip
    # The reference: docstrings from the descriptions, as docgen writes them.
    peer = [*peer_plain, "--use-schema-description", "--use-field-description"]

    cold_out, warm_out = tmp / "cold", tmp / "warm"
    run([*docgen, "build", docs, "-o", warm_out, *jobs], env=env)  # fill the cache
    names = ("cold", "peer", "peer_plain", "warm", "check", "one_page")
    series = {k: Series() for k in names}
    identical = True
    for r in range(runs):
        print(f"run {r + 1}/{runs} ...", file=sys.stderr)
        shutil.rmtree(cold_out, ignore_errors=True)
        series["cold"].results.append(
            run([*docgen, "build", docs, "-o", cold_out, "--no-cache", *jobs], env=env)
        )
        (tmp / "peer.py").unlink(missing_ok=True)
        series["peer"].results.append(run(peer, env=env))
        (tmp / "peer.py").unlink()
        series["peer_plain"].results.append(run(peer_plain, env=env))
        series["warm"].results.append(run([*docgen, "build", docs, "-o", warm_out, *jobs], env=env))
        # The cache may never change output: the warm (cached) tree equals the cold one.
        identical &= read_tree(cold_out) == read_tree(warm_out)
        series["check"].results.append(run([*docgen, "check", docs, "-o", warm_out], env=env))
        edit_page(docs / EDIT_PAGE, f"run {r + 1}")
        series["one_page"].results.append(
            run([*docgen, "build", docs, "-o", warm_out, *jobs], env=env)
        )

    print("stage breakdown and import times ...", file=sys.stderr)
    breakdown = {
        "cold": stages(docs, tmp / "stages-cold", env, "--no-cache", *jobs),
        "warm": stages(docs, warm_out, env, *jobs),
    }
    edit_page(docs / EDIT_PAGE, "stages")
    breakdown["one_page"] = stages(docs, warm_out, env, *jobs)
    imports = import_times(cold_out, samples, env)

    peer_s = series["peer"].median
    figures: dict[str, object] = {
        "pages": pages,
        "types": len(ir["types"]),
        "runs": runs,
        "cores": os.cpu_count(),
        "medians_s": {k: s.median for k, s in series.items()},
        "cpu_medians_s": {k: s.cpu_median for k, s in series.items()},
        "ratios": {
            "cold": series["cold"].median / peer_s,
            "warm": series["warm"].median / peer_s,
            "one_page": series["one_page"].median / peer_s,
            "check": series["check"].median / series["warm"].median,
        },
        "cpu_ratios": {
            k: series[k].cpu_median / series["peer"].cpu_median
            for k in ("cold", "warm", "one_page")
        },
        "ratios_to_peer_without_docstrings": {
            k: series[k].median / series["peer_plain"].median for k in ("cold", "warm", "one_page")
        },
        "peak_memory_mb": {"docgen_cold": series["cold"].peak_mb, "peer": series["peer"].peak_mb},
        "imports_ms": imports,
        "stages_s": breakdown,
        "cached_equals_uncached": identical,
    }
    report(figures, series)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


def report(f: dict[str, object], series: dict[str, Series]) -> None:
    ratios: dict[str, float] = f["ratios"]  # type: ignore[assignment]
    mem: dict[str, float] = f["peak_memory_mb"]  # type: ignore[assignment]
    imp: dict[str, float] = f["imports_ms"]  # type: ignore[assignment]

    def ok(value: float, limit: float) -> str:
        return "ok" if value <= limit else "MISSED"

    def runs(name: str) -> str:
        return " ".join(f"{r.seconds:.2f}" for r in series[name].results)

    peer = series["peer"].median
    print(
        f"\ndocgen vs datamodel-code-generator (with docstrings): {f['pages']} pages, "
        f"{f['types']} types, median of {f['runs']} run(s), {f['cores']} cores"
    )
    peer_cpu = series["peer"].cpu_median
    print(
        f"{'scenario':30} {'docgen s':>8} {'peer s':>7} {'ratio':>6} {'target':>7}       "
        f"{'docgen cpu':>10} {'peer cpu':>8} {'ratio':>6} {'target':>7}        runs (wall s)"
    )
    rows = (("cold build (--no-cache)", "cold"), ("warm build, nothing changed", "warm"),
            ("build after one page changed", "one_page"))  # fmt: skip
    for label, key in rows:
        cpu_ratio = series[key].cpu_median / peer_cpu
        cpu_target = TARGETS.get(f"{key}_cpu")
        cpu_verdict = (
            f"{'<= ' + str(cpu_target):>7} {ok(cpu_ratio, cpu_target):>6}"
            if cpu_target
            else f"{'':7} {'':6}"
        )
        print(
            f"{label:30} {series[key].median:8.2f} {peer:7.2f} {ratios[key]:6.3f} "
            f"{'<= ' + str(TARGETS[key]):>7} {ok(ratios[key], TARGETS[key]):>6} "
            f"{series[key].cpu_median:10.2f} {peer_cpu:8.2f} {cpu_ratio:6.3f} {cpu_verdict}  "
            f"{runs(key)}"
        )
    print(
        f"{'check (ratio to warm build)':30} {series['check'].median:8.2f} {'':7} "
        f"{ratios['check']:6.3f} {'<= 1.2':>7} {ok(ratios['check'], 1.2):>6} "
        f"{series['check'].cpu_median:10.2f} {'':8} {'':6} {'':7} {'':6}  {runs('check')}"
    )
    print(
        f"{'peer runs':30} {'':8} {peer:7.2f} {'':6} {'':7} {'':6} {'':10} {peer_cpu:8.2f} "
        f"{'':6} {'':7} {'':6}  {runs('peer')}"
    )
    plain: dict[str, float] = f["ratios_to_peer_without_docstrings"]  # type: ignore[assignment]
    print(
        f"peer without docstrings (no --use-schema-description/--use-field-description): "
        f"median {series['peer_plain'].median:.2f} s ({runs('peer_plain')}); docgen ratios to it: "
        + ", ".join(f"{k} {v:.3f}" for k, v in plain.items())
    )
    cpu = {k: round(s.cpu_median, 2) for k, s in series.items()}
    print(f"cpu seconds (user+sys incl. workers), medians: {cpu}")
    print(
        f"peak memory (ru_maxrss, MB): docgen cold {mem['docgen_cold']:.0f} "
        f"[{ok(mem['docgen_cold'], TARGETS['memory_mb'])} <= 400], peer {mem['peer']:.0f}"
    )
    print(
        f"import graph_models: {imp['import_package_ms']:.1f} ms "
        f"[{ok(imp['import_package_ms'], 50)} <= 50] (in-process "
        f"{imp['import_package_inprocess_ms']:.1f}); from graph_models import DriveItem: "
        f"{imp['import_model_ms']:.1f} ms [{ok(imp['import_model_ms'], 30)} <= 30] "
        f"(in-process {imp['import_model_inprocess_ms']:.1f}); bare interpreter "
        f"{imp['bare_interpreter_ms']:.0f} ms"
    )
    print("where docgen's time goes (s, one in-process build each):")
    breakdown: dict[str, dict[str, object]] = f["stages_s"]  # type: ignore[assignment]
    names = ("import", "read", "extract", "resolve", "render", "format", "write")
    print(f"  {'':10}" + "".join(f"{n:>9}" for n in names) + f"{'total':>9}")
    for scenario, data in breakdown.items():
        st: dict[str, float] = data["stages"]  # type: ignore[assignment]
        cells = "".join(f"{st.get(n, 0.0):9.2f}" for n in names)
        print(f"  {scenario:10}{cells}{data['total']:9.2f}  {data['counts']}")
    print(f"cached build == --no-cache build, byte for byte: {f['cached_equals_uncached']}")


if __name__ == "__main__":
    sys.exit(main())
