"""The packages jixiao installs, named from the folders present (metadata: pyproject.toml).

The stage folders stay at the top of the repository, where the layout puts them, but are
imported under ``jixiao`` (``extract/`` is ``jixiao.extract``), so no top-level name can
collide with another installed package; the dev tools (``devtools/``) are
``jixiao_devtools``, outside the runtime package. A folder that is absent is left out: the
image copies no ``devtools/`` and no ``dashboard/`` (Dockerfile).
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup

HERE = Path(__file__).resolve().parent

# import name → folder
FOLDERS = {
    "jixiao": "jixiao",
    "jixiao.extract": "extract",
    "jixiao.expectations": "expectations",
    "jixiao.dashboard": "dashboard",
    "jixiao_devtools": "devtools",
}
PACKAGE_DATA = {
    "jixiao.expectations.suites": ["*.json"],
}


def packages_present() -> dict[str, str]:
    """Return import name → folder for every package whose folder is here, subpackages too."""
    found: dict[str, str] = {}
    for name, folder in FOLDERS.items():
        if not (HERE / folder / "__init__.py").is_file():
            continue
        found[name] = folder
        # every folder is a package (the GX suites' folder holds only data)
        for sub in find_namespace_packages(
            str(HERE / folder), exclude=["__pycache__", "*.__pycache__"]
        ):
            if f"{name}.{sub}" not in FOLDERS:  # jixiao's own subpackages, not the mapped ones
                found[f"{name}.{sub}"] = f"{folder}/{sub.replace('.', '/')}"
    return found


if __name__ == "__main__":
    present = packages_present()
    setup(
        packages=sorted(present),
        package_dir={name: folder for name, folder in present.items() if name in FOLDERS},
        package_data={name: globs for name, globs in PACKAGE_DATA.items() if name in present},
    )
