"""Atomic writes: whole files or nothing, with ordinary permissions."""


def test_atomic_writes_leave_ordinary_permissions(tmp_path):
    import os

    from align.store import write_text

    path = write_text(tmp_path / "report.html", "<p>hi</p>")
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    assert not list(tmp_path.glob(".*.tmp"))
