# model/local.mk: sources and tests of this area (owned by its module; see HACKING.md)
