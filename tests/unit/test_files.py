"""Files are written whole or not at all, private when they hold personal data."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import textwrap

import pytest

from umkm_core import Column, ColumnType, Table, Text, export_table, load_registry
from umkm_core.errors import UmkmError, ValidationError
from umkm_core.files import atomic_write, refuse_overwriting_input


def mode(path: pathlib.Path) -> int:
    return path.stat().st_mode & 0o777


def test_a_file_is_written_whole_and_private_by_default(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "register.jsonl"
    with atomic_write(target) as fp:
        fp.write(b"line 1\n")
        fp.write(b"line 2\n")
    assert target.read_bytes() == b"line 1\nline 2\n"
    assert mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["register.jsonl"]


def test_a_file_without_personal_data_is_readable_by_others(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "run.json"
    with atomic_write(target, private=False) as fp:
        fp.write(b"{}")
    assert mode(target) == 0o644


def test_a_failure_mid_write_leaves_the_old_file_intact(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "register.jsonl"
    target.write_bytes(b"the old register\n")

    class DiskFull(Exception):
        pass

    def write_half() -> None:
        with atomic_write(target) as fp:
            fp.write(b"half of the new regis")
            raise DiskFull

    with pytest.raises(DiskFull):
        write_half()
    assert target.read_bytes() == b"the old register\n"
    assert [p.name for p in tmp_path.iterdir()] == ["register.jsonl"]


def test_kill_9_mid_write_leaves_the_old_file_intact(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "register.jsonl"
    target.write_bytes(b"the old register\n")
    code = textwrap.dedent(
        f"""
        import sys, time
        from umkm_core.files import atomic_write
        with atomic_write({str(target)!r}) as fp:
            fp.write(b"x" * 100_000)
            fp.flush()
            print("writing", flush=True)
            time.sleep(120)
        """
    )
    with subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None
        try:
            assert child.stdout.readline().strip() == "writing"
        finally:
            os.kill(child.pid, signal.SIGKILL)
    assert child.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"the old register\n"


def test_a_missing_folder_is_named_as_the_user_gave_it(tmp_path: pathlib.Path) -> None:
    target = tmp_path / "missing" / "dir" / "x.csv"
    with pytest.raises(UmkmError) as caught, atomic_write(target):
        pass
    assert caught.value.code == "file.folder_missing"
    assert str(target) in str(caught.value)
    assert ".tmp" not in str(caught.value)


def test_an_export_into_a_missing_folder_names_the_users_path(tmp_path: pathlib.Path) -> None:
    registry = load_registry(autoload=False)
    target = tmp_path / "missing" / "dir" / "x.csv"
    with pytest.raises(UmkmError) as caught:
        export_table(small_table(), target, registry.exporter("csv"))
    assert caught.value.code == "file.folder_missing"
    assert str(target) in str(caught.value)
    assert ".tmp" not in str(caught.value)


def small_table(*, personal: bool = False) -> Table:
    return Table(
        name="t",
        columns=(
            Column(name="n", title=Text("N", "N"), type=ColumnType.INTEGER),
            Column(name="who", title=Text("Siapa", "Who"), personal=personal),
        ),
        rows=[(1, "Siti Rahayu")],
    )


def test_an_export_whose_extension_is_not_the_formats_is_refused(
    tmp_path: pathlib.Path,
) -> None:
    registry = load_registry(autoload=False)
    target = tmp_path / "x.txt"
    with pytest.raises(ValidationError) as caught:
        export_table(small_table(), target, registry.exporter("xlsx"))
    assert caught.value.code == "export.extension_mismatch"
    assert not target.exists()
    result = export_table(small_table(), target, registry.exporter("xlsx"), any_extension=True)
    assert result.rows == 1
    assert target.read_bytes()[:2] == b"PK"


def test_an_export_with_revealed_personal_data_is_private(tmp_path: pathlib.Path) -> None:
    registry = load_registry(autoload=False)
    revealed, masked, plain = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    export_table(
        small_table(personal=True), revealed, registry.exporter("csv"), reveal_personal_data=True
    )
    export_table(small_table(personal=True), masked, registry.exporter("csv"))
    export_table(small_table(), plain, registry.exporter("csv"), reveal_personal_data=True)
    assert "Siti Rahayu" in revealed.read_text(encoding="utf-8-sig")
    assert (mode(revealed), mode(masked), mode(plain)) == (0o600, 0o644, 0o644)


def test_a_command_may_not_write_over_its_input(tmp_path: pathlib.Path) -> None:
    roster = tmp_path / "r.jsonl"
    roster.write_bytes(b"{}\n")
    with pytest.raises(UmkmError) as caught:
        refuse_overwriting_input(tmp_path / "." / "r.jsonl", [None, roster])
    assert caught.value.code == "file.output_is_input"
    refuse_overwriting_input(tmp_path / "register.jsonl", [roster, None])


def test_the_demo_register_is_written_whole_and_private(tmp_path: pathlib.Path) -> None:
    from umkm_core.demo import read_register, write_register
    from umkm_core.synthetic import synthetic_register

    target = tmp_path / "register.jsonl"
    target.write_bytes(b"old\n")
    assert write_register(synthetic_register(3), target) == 3
    assert mode(target) == 0o600
    assert len(list(read_register(target))) == 3
