"""Word classes that pool rare words into one shared feature.

A threat rarely repeats its words: one stabs, the next burns a house, the next brings a bat.
Each of those words appears a handful of times in the training data, too few for its own
weight to be learned. Every word listed here also counts as one occurrence of a shared
pseudo-word, so what the model learns from any of them carries to the others, in both
languages, including words the seed never used.

The class says "violent act or weapon", not "threat": the same words fill civil comments
("this budget will kill rural hospitals", "ban assault rifles"), and the model weighs the
class, like any word, against those. Words with a common harmless sense ("hang out", "gas
prices", "execute a plan", "beat the deadline") are left out. Words are in normalized form:
lowercase, without accents.
"""

from __future__ import annotations

_ENGLISH = """
kill kills killed killing murder murders murdered murdering stab stabs stabbed stabbing
shoot shoots shooting bullet bullets rifle rifles shotgun knife knives machete
strangle strangled strangling choke choked choking lynch lynched lynching noose
hanged behead beheaded beheading firebomb firebombed molotov arson torch
burn burned burnt burning bomb bombs bombed bombing
punch punched pummel bash bashed smash stomp curbstomp
bleed bleeding blood bloody corpse corpses bury buried grave graves bodybag
acid gallows massacre slaughter slaughtered
torture tortured rape raped exterminate exterminated extermination gassed
kneecap kneecaps skull skulls throat throats slit
"""

# Spanish verbs also take their object pronouns attached: matarte, quemarlos.
_SPANISH_VERBS = """
matar asesinar apunalar acuchillar disparar balear quemar incendiar ahorcar linchar
degollar estrangular fusilar golpear reventar enterrar torturar violar
exterminar gasear rajar
"""
_SPANISH = """
mato mata matan maten muerto muerta muertos muertas asesino asesinato asesinen
apunalado punal punalada navaja navajazo cuchillo cuchillos cuchillada machete
pistola pistolas escopeta escopetas rifle bala balas balazo balazos tiro tiros disparo
disparos dispare disparen quemen quemado quemada queme incendien bomba bombas
paliza palizas golpe golpes ahorcado ahorquen soga horca linchamiento degollado
estrangulado fusilamiento fusilen paredon ejecucion enterrado tumba cadaver cadaveres
sangre tortura torturado violacion violada exterminio gaseado rajado
"""
_CLITICS = ("te", "lo", "la", "los", "las", "le", "les", "os")


def _spanish_forms() -> set[str]:
    verbs = _SPANISH_VERBS.split()
    return set(verbs) | {v + c for v in verbs for c in _CLITICS} | set(_SPANISH.split())


VIOLENCE = frozenset(_ENGLISH.split()) | frozenset(_spanish_forms())
