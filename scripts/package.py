"""`make package`: one Lambda zip per function package, build/zips/<pkg>.zip.

Each zip holds what `zappa package` would put in it, minus everything the function does not use:
  - our code: functions/__init__.py, functions/core, functions/<pkg> (and any functions/<other> it
    imports: helsenorge may call booking and dialogs);
  - the third-party distributions that code imports (found by an ast walk, mapped with
    importlib.metadata.packages_distributions) and their runtime dependency closure from installed
    metadata, as manylinux2014 / pure wheels for CPython 3.11 on Linux, installed with
    `pip install --platform manylinux2014_x86_64 --only-binary=:all: --no-deps --target ...`
    (boto3, botocore and their dependencies come with the Lambda runtime and are left out);
  - Zappa's Lambda handler: zappa/handler.py copied to the root as handler.py (as create_package
    does), the runtime modules of the `zappa` package it imports, and their dependencies;
  - zappa_settings.py as ZappaCLI.get_zappa_settings_string() writes it. The stages of one package
    may differ only in API_STAGE (the environment-specific values live in the Lambda configuration:
    aws_environment_variables), so one zip serves dev and prod and API_STAGE is read from the
    PORTAL_STAGE variable that infra/stages.py gives every stage.
Zappa's package_info.json (a build uuid/time/user, unused by the handler) is left out so that the
zip is reproducible: fixed timestamps, sorted entries.

    python scripts/package.py [pkg ...] [--build-dir build]
"""
from __future__ import annotations

import argparse
import ast
import fnmatch
import importlib.metadata as metadata
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import tomllib
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from infra import stages  # noqa: E402

PROVIDED_BY_LAMBDA = {"boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "six", "urllib3"}
STDLIB_NEEDS = {"zoneinfo": "tzdata"}  # the runtime image is not guaranteed to ship a tz database
ZAPPA_RUNTIME = ("__init__.py", "asgi.py", "middleware.py", "utilities.py", "wsgi.py", "websocket.py")
PLATFORM = ["--platform", "manylinux2014_x86_64", "--only-binary=:all:", "--python-version", "3.11",
            "--implementation", "cp"]
SKIP_PARTS = {"__pycache__"}
# Parts of wheels no function loads, left out to keep the zips small (and the image decoders
# reachable by untrusted uploads few). Archive-name globs.
TRIM = (
    "bin/*",                                                 # console scripts pip --target writes
    "PIL/_avif.*", "pillow.libs/libavif-*",                  # AVIF: pictures take JPEG/PNG/WebP only
    "PIL/_imagingft.*", "pillow.libs/libfreetype-*",         # text rendering (ImageFont) and its
    "pillow.libs/libharfbuzz-*", "pillow.libs/libpng16-*",   # libraries; Pillow's PNG codec uses zlib
    "pillow.libs/libbrotli*",
    "PIL/_imagingtk.*",                                      # Tk
    "stdnum/oui.dat", "stdnum/imsi.dat", "stdnum/cn/loc.dat",  # data of stdnum modules for MAC
    "stdnum/at/postleitzahl.dat", "stdnum/eu/nace2*.dat",      # addresses, IMSIs, Chinese, Austrian,
    "stdnum/nz/banks.dat",                                     # EU and NZ numbers
    # stdnum's other countries: only stdnum/no (fødselsnummer) and the shared modules are imported
    "stdnum/[a-mo-z][a-z]/*", "stdnum/n[a-np-z]/*", "stdnum/in_/*", "stdnum/is_/*",
    "phonenumbers/shortdata/region_*",                         # short numbers (112, 113): never formatted
)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


# ---- (a) what the code imports, and the distributions that provides ----------------------------

def python_files(*roots: Path) -> Iterator[Path]:
    for root in roots:
        yield from sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def imported_modules(files: Iterable[Path], module_level_only: bool = False) -> set[str]:
    """Dotted names of absolute imports (`from a.b import c`: a.b and a.b.c); with
    module_level_only, not those inside functions."""
    names: set[str] = set()
    for path in files:
        for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8")), module_level_only):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif node.level == 0 and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def top_level(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def _import_nodes(tree: ast.AST, module_level_only: bool) -> Iterator[ast.Import | ast.ImportFrom]:
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif module_level_only and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        stack.extend(ast.iter_child_nodes(node))


def distributions_for(modules: set[str]) -> set[str]:
    """Canonical names of the installed distributions providing the third-party `modules`."""
    providers = metadata.packages_distributions()
    dists = {canonicalize_name(STDLIB_NEEDS[m]) for m in modules if m in STDLIB_NEEDS}
    for module in sorted(modules - set(sys.stdlib_module_names) - {"__future__", "functions"}):
        if module not in providers:
            raise SystemExit(f"package: no installed distribution provides the imported module {module!r}")
        dists.update(canonicalize_name(name) for name in providers[module])
    return dists


def project_requirements() -> dict[str, Requirement]:
    """pyproject's [project.dependencies] by canonical name, e.g. "pyjwt" -> pyjwt[crypto]>=2.9."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = (Requirement(line) for line in project.get("dependencies", []))
    return {canonicalize_name(requirement.name): requirement for requirement in requirements}


def lambda_marker_environment() -> dict[str, str]:
    env = dict(default_environment())
    env.update(sys_platform="linux", platform_system="Linux", os_name="posix", platform_machine="x86_64",
               implementation_name="cpython", platform_python_implementation="CPython", python_version="3.11")
    if not env["python_full_version"].startswith("3.11."):
        env.update(python_full_version="3.11.0", implementation_version="3.11.0")
    return env


def closure(roots: set[str], extras: dict[str, set[str]]) -> dict[str, str]:
    """Installed name -> version of `roots` and their runtime requirements (markers for Lambda)."""
    environment = lambda_marker_environment()
    wanted = {name: set(extras.get(name, ())) for name in roots}
    found: dict[str, str] = {}
    todo = sorted(roots)
    while todo:
        name = todo.pop()
        if name in PROVIDED_BY_LAMBDA or name in found:
            continue
        found[name] = metadata.version(name)
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            if _applies(requirement, wanted[name], environment):
                child = canonicalize_name(requirement.name)
                wanted.setdefault(child, set()).update(requirement.extras)
                todo.append(child)
    return found


def _applies(requirement: Requirement, extras: set[str], environment: dict[str, str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({**environment, "extra": extra}) for extra in extras | {""})


def zappa_source() -> Path:
    return Path(sysconfig.get_paths()["purelib"]) / "zappa"


def reachable_files(package: str) -> list[Path]:
    """The package's own modules and the modules of core (or another package) that they import,
    transitively: a core module nobody here imports (e.g. core/images.py, which needs Pillow) does
    not bring its third-party imports into this zip."""
    todo = list(python_files(ROOT / "functions" / package))
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for dotted in imported_modules([path]):
            if dotted.startswith("functions."):
                base = ROOT.joinpath(*dotted.split("."))
                todo += [f for f in (base.with_suffix(".py"), base / "__init__.py") if f.is_file()]
    return sorted(seen)


def dependencies(package: str) -> dict[str, str]:
    ours = top_level(imported_modules(reachable_files(package)))
    if "zappa" in ours:
        raise SystemExit("package: functions must not import zappa (the zip carries only its handler)")
    handler = [zappa_source() / name for name in ("handler.py", *ZAPPA_RUNTIME)]
    modules = ours | top_level(imported_modules(handler, module_level_only=True))
    extras = {name: set(requirement.extras) for name, requirement in project_requirements().items()}
    return closure(distributions_for(modules - {"zappa"}), extras)


# ---- (b) the wheels -------------------------------------------------------------------------------

def install(pins: dict[str, str], target: Path, strict: bool = False) -> dict[str, str]:
    """pip-install the pinned wheels for Lambda into `target`; returns name -> version installed.

    A distribution whose installed version has no manylinux2014 wheel (e.g. pillow 13 ships only
    manylinux_2_28) falls back, with a warning, to its newest version <= that one which has,
    unless `strict`."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    if _pip(target, [f"{name}=={version}" for name, version in sorted(pins.items())], quiet=True):
        return dict(pins)
    installed = {}
    for name, version in sorted(pins.items()):
        if _pip(target, [f"{name}=={version}"], quiet=not strict):
            installed[name] = version
        elif strict or not _pip(target, [_older_or_equal(name, version)]):
            raise SystemExit(f"package: no manylinux2014/pure wheel of {name}=={version} for CPython 3.11")
        else:
            installed[name] = _version_in(target, name)
            print(f"WARNING: {name} {version} has no manylinux2014 wheel; the zip gets {installed[name]} "
                  f"(pin {name}<={installed[name]} in pyproject.toml to test what ships)", file=sys.stderr)
    return installed


def _older_or_equal(name: str, version: str) -> str:
    requirement = project_requirements().get(name)
    specifier = f"{requirement.specifier}," if requirement and requirement.specifier else ""
    return f"{name}{specifier}<={version}"


def _pip(target: Path, specs: list[str], quiet: bool = False) -> bool:
    command = [sys.executable, "-m", "pip", "install", "-qq", "--disable-pip-version-check", "--no-compile",
               "--upgrade", *PLATFORM, "--no-deps", "--target", str(target), *specs]
    output = subprocess.DEVNULL if quiet else None
    return subprocess.run(command, check=False, stdout=output, stderr=output).returncode == 0


def _version_in(target: Path, name: str) -> str:
    found = [d for d in metadata.distributions(path=[str(target)]) if canonicalize_name(d.name) == name]
    return found[0].version


# ---- (c) our code, Zappa's handler, zappa_settings.py ------------------------------------------

def code_files(package: str) -> dict[str, Path]:
    """Archive name -> file for functions/__init__.py, functions/<pkg> and the modules it imports (reachable_files)."""
    files = {"functions/__init__.py": ROOT / "functions" / "__init__.py"}
    files.update({path.relative_to(ROOT).as_posix(): path for path in reachable_files(package)})
    if "functions/core/records.py" in files:  # its botocore session reads the trimmed endpoints.json
        files.update({path.relative_to(ROOT).as_posix(): path
                      for path in sorted((ROOT / "functions" / "core" / "botocore_data").glob("*.json"))})
    # a package's bundled fonts (payments' PDFs: DejaVu Sans, with its licence)
    files.update({path.relative_to(ROOT).as_posix(): path
                  for path in sorted((ROOT / "functions" / package / "fonts").glob("*")) if path.is_file()})
    return files


def handler_files() -> dict[str, Path]:
    source = zappa_source()
    files = {"handler.py": source / "handler.py"}
    files.update({f"zappa/{name}": source / name for name in ZAPPA_RUNTIME})
    return files


def _tree(folder: Path, prefix: str = "") -> dict[str, Path]:
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not SKIP_PARTS & set(relative.parts) and path.suffix != ".pyc":
            files[f"{prefix}/{relative.as_posix()}".lstrip("/")] = path
    return files


def zappa_settings_module(package: str) -> str:
    """zappa_settings.py for all stages of `package`, from Zappa's own generator."""
    texts = {name: _zappa_settings_string(name) for name in stages.stages_of(stages.package_named(package))}
    generic = {name: text.replace(f"API_STAGE='{name}'\n", f"API_STAGE=os.environ['{stages.STAGE_VARIABLE}']\n")
               for name, text in texts.items()}
    if len(set(generic.values())) != 1:
        raise SystemExit(f"package: the stages of {package} differ in more than API_STAGE; move the "
                         "difference to aws_environment_variables (infra/stages.py)")
    header = (f"# Stages {', '.join(texts)} share this zip; API_STAGE comes from the Lambda "
              f"configuration ({stages.STAGE_VARIABLE}).\nimport os\n\n")
    return header + next(iter(generic.values()))


def _zappa_settings_string(stage: str) -> str:
    from zappa.cli import ZappaCLI

    cli = ZappaCLI()
    cli.api_stage, cli.load_credentials = stage, False
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as empty:  # load_settings scans the cwd for zappa.websocket use
        os.chdir(empty)
        try:
            cli.load_settings(str(stages.SETTINGS_PATH))
            return cli.get_zappa_settings_string()
        finally:
            os.chdir(here)


# ---- (d) the zip ----------------------------------------------------------------------------------

def write_zip(path: Path, files: dict[str, Path], generated: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = {name: source.read_bytes() for name, source in files.items()}
    entries.update({name: text.encode() for name, text in generated.items()})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.create_system = 3                  # unix permissions, as Zappa writes them
            info.external_attr = 0o100755 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name])


def _trimmed(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in TRIM)


def wheel_tags_in_zip(path: Path | str) -> set[str]:
    """Every `Tag:` of every *.dist-info/WHEEL in the zip, e.g. "cp311-abi3-manylinux2014_x86_64"."""
    return set().union(*wheel_tags_by_distribution(path).values())


def wheel_tags_by_distribution(path: Path | str) -> dict[str, set[str]]:
    """"<name>-<version>.dist-info" -> the tags of that one wheel (a wheel may carry several)."""
    tags: dict[str, set[str]] = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".dist-info/WHEEL"):
                lines = archive.read(name).decode().splitlines()
                tags[name.split("/")[0]] = {line.split(":", 1)[1].strip() for line in lines if line.startswith("Tag:")}
    return tags


def build(package: str, build_dir: Path, strict: bool = False) -> Path:
    deps_dir = build_dir / "deps" / package
    install(dependencies(package), deps_dir, strict)
    wheels = {name: path for name, path in _tree(deps_dir).items() if not _trimmed(name)}
    files = {**wheels, **code_files(package), **handler_files()}
    zip_path = build_dir / "zips" / f"{package}.zip"
    write_zip(zip_path, files, {"zappa_settings.py": zappa_settings_module(package)})
    return zip_path


def check_settings_file() -> None:
    if stages.SETTINGS_PATH.read_text(encoding="utf-8") != stages.render():
        raise SystemExit("package: zappa_settings.json is out of date with infra/stages.py; "
                         "run `python -m infra.stages`")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", help="default: every package in infra/stages.py")
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build")
    parser.add_argument("--strict", action="store_true", help="fail instead of falling back to an older wheel")
    args = parser.parse_args(argv)
    check_settings_file()
    for package in args.packages or [package.name for package in stages.PACKAGES]:
        zip_path = build(package, args.build_dir, args.strict)
        print(f"{zip_path}: {zip_path.stat().st_size / 1_000_000:.2f} MB")


if __name__ == "__main__":
    main()
