"""Option parsing shared by the measurement scripts (noise-estimators.py, eval-sr-as-run.py)."""


def option(args, name, default, convert):
    """The value after name in args, converted (both removed from args), or default where name is absent."""
    if name not in args:
        return default
    i = args.index(name)
    value = convert(args[i + 1])
    del args[i:i + 2]
    return value
