"""The example plugin, installed for real with pip, is found through its entry point.

A fresh virtual environment gets ``umkm-kriya`` installed by pip (``--no-index``: no
network), and sees umkm_core and its dependencies from this project's environment, as
if they were installed next to it. A subprocess then loads the registry the way an
application would, uses the plugin's rule in a programme and its format in an export.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import sysconfig
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "plugins" / "umkm-kriya"

PROGRAMME = textwrap.dedent(
    """
    import datetime as dt, json, pathlib, sys
    import umkm_kriya
    from umkm_core import (
        KBLI, Address, Business, Owner, Program, ProgramKind, RegionCode, Wave,
        business_register_table, export_table, load_registry,
    )
    from umkm_core.rules import RuleContext

    registry = load_registry()
    kriya = {p.name: p for p in registry.plugins}.get("kriya")
    report = {
        "module": umkm_kriya.__file__,
        "plugin": None if kriya is None else [
            kriya.source, kriya.status, kriya.distribution, kriya.version,
            {hook: list(codes) for hook, codes in sorted(kriya.registered.items())},
        ],
        "problems": [p.reason for p in registry.problems],
        "sectors": list(registry.sectors),
    }
    if kriya is not None:
        rules = tuple(
            registry.rule_from_data(data)
            for data in ({"rule": "sector_matches_wave"}, {"rule": "has_kbli", "codes": ["13134"]})
        )
        wave = Wave.with_daily_sessions(
            number=1, sector="kriya", start=dt.date(2018, 3, 5), end=dt.date(2018, 3, 6), seats=40
        )
        program = Program(id="P-KRIYA", title="Batik Tangerang", office_id="dinkopukm-3671",
                          year=2018, kind=ProgramKind.TRAINING, waves=(wave,), rules=rules)
        batik = Business(id="K1", name="Batik Cisadane", owner=Owner(name="Dewi Lestari"),
                         address=Address(region=RegionCode.parse("36.71.01")), sector="kriya",
                         kbli=(KBLI("13134"),))
        context = RuleContext(business=batik, program=program, as_of=dt.date(2018, 2, 1))
        report["verdicts"] = [bool(rule.check(context.at_wave(wave))) for rule in rules]
        report["pathway"] = [k.code for k in registry.default_pathways("kriya")[0].order]
        target = pathlib.Path(sys.argv[1]) / "katalog.md"
        result = export_table(business_register_table([batik]), target,
                              registry.exporter_for(target))
        report["export"] = [result.exporter, result.rows]
    print(json.dumps(report))
    """
)


@pytest.fixture(scope="module")
def venv_python(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    venv = tmp_path_factory.mktemp("kriya") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site_packages = pathlib.Path(
        subprocess.check_output(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            text=True,
        ).strip()
    )
    # addsitedir (not a bare path line) so the project's own .pth files, among them the
    # editable install of umkm_core, are processed too.
    outer = sysconfig.get_paths()["purelib"]
    (site_packages / "_umkm_project.pth").write_text(
        f"import site; site.addsitedir({outer!r})\n", encoding="utf-8"
    )
    subprocess.run(
        [
            sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
            "--no-index", "--no-deps", "--no-build-isolation", str(EXAMPLE),
        ],
        check=True,
        env=_clean_env(),
    )  # fmt: skip
    return python


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "UMKM_DISABLE_PLUGIN_AUTOLOAD", "UMKM_DISABLED_PLUGINS"}
    }
    env["PYTHONNOUSERSITE"] = "1"
    env.update(extra)
    return env


def run_programme(python: pathlib.Path, out: pathlib.Path, **env: str) -> dict[str, object]:
    completed = subprocess.run(
        [str(python), "-c", PROGRAMME, str(out)],
        check=True,
        capture_output=True,
        text=True,
        env=_clean_env(**env),
        cwd=out,
    )
    report: dict[str, object] = json.loads(completed.stdout)
    return report


def test_installed_plugin_is_discovered_through_its_entry_point(
    venv_python: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    report = run_programme(venv_python, tmp_path)
    assert str(report["module"]).startswith(str(venv_python.parent.parent))
    assert report["problems"] == []
    assert report["sectors"] == ["fesyen", "jasa", "kriya", "kuliner", "perdagangan"]
    assert report["plugin"] == [
        "entry point",
        "active",
        "umkm-kriya",
        "0.1.0",
        {
            "umkm_certification_steps": ["batikmark"],
            "umkm_exporters": ["kriya-md"],
            "umkm_pathways": ["batik"],
            "umkm_rules": ["has_kbli"],
            "umkm_sectors": ["kriya"],
        },
    ]


def test_installed_plugin_is_usable_in_a_programme_and_an_export(
    venv_python: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    report = run_programme(venv_python, tmp_path)
    assert report["verdicts"] == [True, True]
    assert report["pathway"] == ["packaging", "batikmark", "trademark"]
    assert report["export"] == ["kriya-md", 1]
    catalogue = (tmp_path / "katalog.md").read_text(encoding="utf-8")
    assert "| K1 | Batik Cisadane | kriya |" in catalogue
    assert "Dewi Lestari" not in catalogue  # the owner's name left masked
    assert "D*** L***" in catalogue


def test_the_environment_switch_keeps_the_installed_plugin_out(
    venv_python: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    report = run_programme(venv_python, tmp_path, UMKM_DISABLE_PLUGIN_AUTOLOAD="1")
    assert report["plugin"] is None
    assert report["sectors"] == ["fesyen", "jasa", "kuliner", "perdagangan"]
