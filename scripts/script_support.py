"""Shared by the measurement scripts (noise-estimators.py, noise-nugget.py, eval-sr-as-run.py, train-noise-cnn.py):
their option parsing, and noise-estimators.py as a module for the scripts that reuse its readers and estimators."""
import importlib.util
import os


def option(args, name, default, convert):
    """The value after name in args, converted (both removed from args), or default where name is absent."""
    if name not in args:
        return default
    i = args.index(name)
    value = convert(args[i + 1])
    del args[i:i + 2]
    return value


def noise_estimators():
    """scripts/noise-estimators.py as a module (its name is not an identifier)."""
    spec = importlib.util.spec_from_file_location(
        "noise_estimators", os.path.join(os.path.dirname(os.path.abspath(__file__)), "noise-estimators.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
