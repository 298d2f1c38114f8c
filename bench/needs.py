"""What a benchmark needs from the machine, checked before it starts: installed when it can be (Debian packages,
through bin/ensure-system-deps, as root), otherwise a clear sentence of what is missing and how to get it."""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def command(name, *, package=None):
    """A program on PATH; from Debian's ``package`` (default: the same name) when it is missing."""
    if shutil.which(name):
        return shutil.which(name)
    package = package or name
    print(f"bench: {name} is missing; installing Debian's {package} (bin/ensure-system-deps {package})", flush=True)
    result = subprocess.run([str(ROOT / "bin/ensure-system-deps"), package], capture_output=True, text=True)
    if result.returncode != 0 or not shutil.which(name):
        sys.exit(f"bench: needs {name} (Debian package {package}); install it as root: apt-get install {package}\n{result.stderr.strip()}")
    return shutil.which(name)


def postgresql(connection, *, redis_layer=False, settings=None):
    """The production database (and, if asked, the Redis channel layer); the embedded default would measure the wrong thing."""
    if connection.vendor != "postgresql":
        sys.exit("bench: run against PostgreSQL + PostGIS: DATABASE_URL=postgis://postgres@127.0.0.1:5432/<db> "
                 "(bin/ensure-system-deps postgresql-15-postgis-3 installs PostGIS)")
    if redis_layer and "redis" not in settings.CHANNEL_LAYERS["default"]["BACKEND"]:
        sys.exit("bench: run with the Redis channel layer: REDIS_URL=redis://127.0.0.1:6379/<n>")
