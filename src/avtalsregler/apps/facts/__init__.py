"""Facts for the start page of the documentation site, one module each.

A module here is found automatically (like the sub-commands in :mod:`avtalsregler.commands`).
It defines:

``SLOT``
    the key of the fact, e.g. ``"avtalsperiod"`` or ``"fordelning"`` (see
    :data:`avtalsregler.docs_facts.SLOTS` for the slots the start page already shows as
    placeholders; a new key adds a new fact);
``TITLE``
    optional, the heading on the start page (defaults to the slot's title);
``CLAUSES``
    the clauses it needs, e.g. ``("§10", "§11")``: the fact is only rendered when all of them
    have rules;
``render(project, results, today) -> str``
    Markdown for the fact, computed from the loaded project, the fresh check results
    (``list[ClauseResult]``) and the build date. Raise an ``AvtalsreglerError`` when the fact
    cannot be computed (e.g. data missing); the start page then shows the message.
"""
