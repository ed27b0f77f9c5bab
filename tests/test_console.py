"""Feedback on stderr: color and progress on terminals only, a summary line, -q/-v.

The terminal cases run `python -m docgen` on a real pseudo-terminal (`pty`), so
they see what a person at a terminal sees; the rest run with pipes, as CI does.
"""

from __future__ import annotations

import io
import os
import re
import select
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from docgen import console
from docgen.model import Diagnostic

pty = pytest.importorskip("pty", reason="pseudo-terminals need a POSIX system")

ESCAPE = "\x1b"
SGR = re.compile(r"\x1b\[[0-9;]*m")  # color/style codes, not cursor movement
ANY_ESCAPE = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|\][^\x07]*\x07)")

ENTITY = """\
# entity resource type

<!-- {"blockType": "resource", "@odata.type": "microsoft.graph.entity", "keyProperty": "id"} -->

## Properties

| Property | Type | Description |
|:--|:--|:--|
| id | String | The identifier. |
"""

# One warning (DG501, unknown type) on line 5.
WARNED = """\
# gadget resource type

| Property | Type | Description |
|:--|:--|:--|
| thing | NoSuchType | d |
"""

SUMMARY = re.compile(
    r"^docgen: read (?P<pages>\d+) pages?, (?P<types>\d+) types? -> (?P<out>\S+): "
    r"(?P<written>\d+) written, (?P<unchanged>\d+) unchanged, (?P<removed>\d+) removed; "
    r"(?P<warnings>\d+) warnings?.*; (?P<seconds>\d+\.\d)s$",
    re.MULTILINE,
)


COLOR_ENV = {"NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "TTY_COMPATIBLE", "TTY_INTERACTIVE"}


def env_without_color(**extra: str) -> dict[str, str]:
    """The test's environment minus anything that forces color or terminal behavior."""
    env = {k: v for k, v in os.environ.items() if k not in COLOR_ENV | {"COLUMNS", "LINES"}}
    env.update({"TERM": "xterm-256color", **extra})
    return env


def make_project(root: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "pyproject.toml").write_text(
        '[tool.docgen]\ndocs = "docs"\noutput = "out"\npackage = "demo"\n', encoding="utf-8"
    )
    return root


def many_pages(count: int, token: str) -> dict[str, str]:
    """`count` distinct resource pages; `token` keeps any build cache cold."""
    pages = {"entity.md": ENTITY}
    for i in range(count):
        rows = "\n".join(
            f"| field{j} | {kind} | Field {j} of thing {i} ({token}). |"
            for j, kind in enumerate(["String", "Int32", "DateTimeOffset", "Boolean"] * 3)
        )
        pages[f"thing{i}.md"] = (
            f"# thing{i} resource type\n\nInherits from [entity](entity.md).\n\n"
            f"## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n{rows}\n"
        )
    return pages


def run_piped(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def run_on_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run docgen with stdout and stderr on a pseudo-terminal; return (exit code, output)."""
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "docgen", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        close_fds=True,
    )
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([master], [], [], 300)
        if not ready:
            proc.kill()
            raise AssertionError("docgen produced no output on the terminal for 300 s")
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed its side
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def plain(text: str) -> str:
    """What the terminal ends up showing: no escape codes, each line after its last CR."""
    lines = ANY_ESCAPE.sub("", text).replace("\r\n", "\n").split("\n")
    return "\n".join(line.rsplit("\r", 1)[-1] for line in lines)


# --- color decision ---


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("tty", "env", "color"),
    [
        (True, {}, True),
        (False, {}, False),
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": ""}, True),  # no-color.org: only a non-empty value counts
        (False, {"FORCE_COLOR": "1"}, True),
        (True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        (True, {"TERM": "dumb"}, False),
    ],
)
def test_color_only_on_terminals_unless_overridden(
    tty: bool, env: dict[str, str], color: bool
) -> None:
    stream = FakeTTY() if tty else io.StringIO()
    assert console.wants_color(stream, env) is color


DIAG = Diagnostic("dir/page.md", 12, 3, "warning", "DG501", "unknown type [x] :smile: " + "y" * 200)


def test_uncolored_diagnostic_is_the_plain_line_verbatim() -> None:
    """No wrapping at 80 columns, no markup, no emoji: the exact `path:line:col` line."""
    stream = io.StringIO()
    console.make_console(stream, {}).print(console.diagnostic_text(DIAG))
    assert stream.getvalue() == DIAG.render() + "\n"
    assert ESCAPE not in stream.getvalue()


def test_colored_diagnostic_reads_the_same_without_its_codes() -> None:
    stream = FakeTTY()
    console.make_console(stream, {"FORCE_COLOR": "1"}).print(console.diagnostic_text(DIAG))
    assert SGR.search(stream.getvalue())
    assert SGR.sub("", stream.getvalue()) == DIAG.render() + "\n"


# --- verbosity (in-process reporter) ---


ERROR = Diagnostic("a.md", 1, 1, "error", "DG504", "cycle")


@pytest.mark.parametrize(
    ("verbosity", "shown"),
    [
        (console.QUIET, [ERROR.render()]),
        (console.NORMAL, [ERROR.render()]),
        (console.VERBOSE, [ERROR.render(), DIAG.render()]),
    ],
)
def test_diagnostics_by_verbosity(verbosity: int, shown: list[str]) -> None:
    stream = io.StringIO()
    reporter = console.Reporter(verbosity, stream=stream, env={})
    counts = reporter.diagnostics([ERROR, DIAG])
    assert counts == (1, 1)
    lines = stream.getvalue().splitlines()
    assert lines[:-1] == shown
    assert lines[-1] == "1 error, 1 warning: nothing written"


def test_quiet_has_no_summary_and_verbose_adds_stage_times() -> None:
    for verbosity, expected in ((console.QUIET, 0), (console.NORMAL, 1), (console.VERBOSE, 2)):
        stream = io.StringIO()
        reporter = console.Reporter(verbosity, stream=stream, env={})
        reporter.stage("reading pages", 2)
        reporter.stage("formatting", 3)
        reporter.summary("did it", 0)
        lines = stream.getvalue().splitlines()
        assert len(lines) == expected, lines
        if expected:
            assert re.fullmatch(r"docgen: did it; 0 warnings; \d+\.\ds", lines[0])
        if expected == 2:
            assert re.fullmatch(
                r"docgen: time by stage: reading pages \d+\.\d\ds, formatting \d+\.\d\ds",
                lines[1],
            )


def test_no_progress_bar_off_a_terminal() -> None:
    """Asked for a bar with no delay, a reporter on a pipe still draws nothing."""
    stream = io.StringIO()
    with console.Reporter(
        console.NORMAL, stream=stream, env={}, progress=True, progress_delay=0
    ) as reporter:
        reporter.stage("formatting", 10)
        for _ in range(10):
            reporter.advance()
            time.sleep(0.02)
    assert stream.getvalue() == ""


def test_progress_bar_drawn_on_a_terminal_stream() -> None:
    stream = FakeTTY()
    with console.Reporter(
        console.NORMAL, stream=stream, env={}, progress=True, progress_delay=0
    ) as reporter:
        time.sleep(0.2)  # the bar starts on a timer thread
        reporter.stage("formatting", 10)
        for _ in range(10):
            reporter.advance()
            time.sleep(0.02)
    assert "formatting" in stream.getvalue()


# --- the command line, as CI and as a person see it ---


def test_build_summary_counts_pages_types_and_files(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"entity.md": ENTITY, "gadget.md": WARNED})
    env = env_without_color(CI="true")
    first = run_piped(["build"], root, env)
    assert first.returncode == 0, first.stderr
    m = SUMMARY.search(first.stderr)
    assert m is not None, first.stderr
    # The summary counts generated files; the manifest listing them is not one.
    on_disk = [
        p
        for p in (root / "out" / "demo").rglob("*")
        if p.is_file() and p.name != ".docgen-manifest"
    ]
    assert (root / "out" / "demo" / ".docgen-manifest").is_file()
    assert (m["pages"], m["types"], m["warnings"]) == ("2", "2", "1")
    assert Path(m["out"]) == Path("out/demo")
    assert (int(m["written"]), m["unchanged"], m["removed"]) == (len(on_disk), "0", "0")

    second = run_piped(["build"], root, env)
    m = SUMMARY.search(second.stderr)
    assert m is not None, second.stderr
    assert (m["written"], int(m["unchanged"]), m["removed"]) == ("0", len(on_disk), "0")

    (root / "docs" / "gadget.md").unlink()
    third = run_piped(["build"], root, env)
    m = SUMMARY.search(third.stderr)
    assert m is not None, third.stderr
    assert (m["pages"], m["types"], m["warnings"], m["removed"]) == ("1", "1", "0", "1")
    assert ESCAPE not in first.stderr + second.stderr + third.stderr


def test_quiet_build_prints_nothing_and_verbose_prints_every_warning(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"entity.md": ENTITY, "gadget.md": WARNED})
    env = env_without_color()
    quiet = run_piped(["build", "-q"], root, env)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    quiet_first = run_piped(["-q", "check"], root, env)
    assert (quiet_first.returncode, quiet_first.stdout, quiet_first.stderr) == (0, "", "")

    normal = run_piped(["build"], root, env)
    assert "DG501" not in normal.stderr
    assert "1 warning (-v lists them)" in normal.stderr

    for args in (["build", "-v"], ["--verbose", "build"]):
        verbose = run_piped(args, root, env)
        assert verbose.returncode == 0
        assert "gadget.md:5:1: warning DG501 " in verbose.stderr
        assert "docgen: time by stage: reading pages" in verbose.stderr


def test_parse_json_keeps_stdout_clean_and_stderr_empty(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"entity.md": ENTITY})
    run = run_piped(["parse", "--json", "-v"], root, env_without_color(FORCE_COLOR="1"))
    assert run.returncode == 0
    assert run.stdout.startswith("{") and ESCAPE not in run.stdout
    assert run.stderr == ""


def test_lint_colors_diagnostics_on_a_terminal_only(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"entity.md": ENTITY, "gadget.md": WARNED})
    code, tty_out = run_on_terminal(["lint"], root, env_without_color())
    assert code == 0
    assert SGR.search(tty_out), tty_out
    assert "gadget.md:5:1: warning DG501 " in plain(tty_out)

    code, no_color = run_on_terminal(["lint"], root, env_without_color(NO_COLOR="1"))
    assert code == 0
    assert ESCAPE not in no_color
    assert "gadget.md:5:1: warning DG501 " in no_color

    piped = run_piped(["lint"], root, env_without_color())
    assert ESCAPE not in piped.stdout + piped.stderr
    assert "gadget.md:5:1: warning DG501 " in piped.stdout


PAGES = 250


@pytest.fixture
def slow_project(tmp_path: Path) -> Path:
    """Enough pages that a build takes well over the bar's one-second delay.

    Each test gets its own page text (the folder name is in it), so no build
    cache can make a later test's build fast.
    """
    return make_project(tmp_path, many_pages(PAGES, token=str(tmp_path)))


def test_progress_bar_on_a_terminal_for_a_long_build(slow_project: Path) -> None:
    code, out = run_on_terminal(["build", "-o", "tty-out"], slow_project, env_without_color())
    assert code == 0, out
    drawn = ANY_ESCAPE.sub("", out)
    assert re.search(r"formatting\D+\d+/\d+", drawn)  # the bar's stage and M/N count
    assert "\x1b[?25l" in out  # rich hides the cursor while the bar runs
    text = plain(out)
    summary = SUMMARY.search(text)
    assert summary is not None, text[-2000:]
    assert summary["pages"] == str(PAGES + 1)
    assert float(summary["seconds"]) > console.PROGRESS_DELAY


def test_no_color_on_a_terminal_keeps_the_bar_but_drops_color(slow_project: Path) -> None:
    code, out = run_on_terminal(
        ["build", "-o", "tty-nc-out"], slow_project, env_without_color(NO_COLOR="1")
    )
    assert code == 0, out
    assert "formatting" in ANY_ESCAPE.sub("", out)
    assert not SGR.search(out), SGR.findall(out)[:5]


def test_no_progress_bar_in_ci_logs(slow_project: Path) -> None:
    run = run_piped(["build", "-o", "ci-out"], slow_project, env_without_color(CI="true"))
    assert run.returncode == 0, run.stderr
    assert ESCAPE not in run.stderr
    assert "formatting" not in run.stderr
    m = SUMMARY.search(run.stderr)
    assert m is not None and m["pages"] == str(PAGES + 1)
    assert run.stderr.count("\n") == 1  # the summary line only


def test_quiet_on_a_terminal_shows_no_bar(slow_project: Path) -> None:
    code, out = run_on_terminal(["build", "-q", "-o", "q-out"], slow_project, env_without_color())
    assert (code, out) == (0, "")


def test_escape_keeps_every_message_one_plain_line() -> None:
    from docgen.console import escape

    assert escape("docs/plain café.md") == "docs/plain café.md"
    assert escape("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert escape("\x1b[31mred\x07\x7f\x9b") == "\\x1b[31mred\\x07\\x7f\\x9b"
    assert escape("rtl\u202eexe.md\u2028") == "rtl\\u202eexe.md\\u2028"
    assert escape(b"bad\xffname.md".decode("utf-8", "surrogateescape")) == "bad\\xffname.md"
