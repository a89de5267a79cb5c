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


# Phrases of intimidation: a threat that names no weapon ("we know where you live", "be a
# shame if something happened", "sabemos dónde vives"). Each listed phrase also counts as
# one shared pseudo-phrase, as the words above count as theirs. Only phrases with no common
# harmless sense are listed: not "accidents happen", "you'll regret" ("you won't regret
# it"), "answer for it" (at the ballot box), "we never forget", "lock your doors".
_INTIMIDATION_EN = """
know where you live | know where u live | know where you work | know where your kids
know where your children | know where your family | know where your wife | know your address
found your address | have your address | got your address | your kids go to school
watch your back | watch ur back | sleep with one eye open | your days are numbered
this is your last warning | this is your only warning | shame if something happened
shame if something happens | shame if something were to happen | under your car
we're coming for you | we are coming for you | coming for you | we'll find you
we will find you | i'll find you | i will find you | going to find you | gonna find you
get what's coming to you | get whats coming to u | get what's coming to u
no screen between us | meet you in a dark | in a dark parking lot | leaving in an ambulance
we're watching you | we are watching you | i'm watching you | i know your face
know what car you drive | end up in a river | you won't live to see | you will not live to see
"""
_INTIMIDATION_ES = """
se donde vives | sabemos donde vives | se donde trabajas | sabemos donde trabajas
sabemos donde viven | donde estudian tus hijos | donde van tus hijos al colegio
sabemos tu direccion | tenemos tu direccion | tengo tu direccion | cuidate las espaldas
cuida tus espaldas | vigila tus espaldas | duerme con un ojo abierto
tus dias estan contados | tienes los dias contados | seria una pena que te pasara
una pena que te pasara algo | debajo de tu coche | vamos a por ti | vamos por ti
iremos a por ti | te encontraremos | te vamos a encontrar | te voy a encontrar
te estamos vigilando | te estoy vigilando | te tenemos fichado | te tengo fichado
salir en ambulancia | acabar en una cuneta | no vas a vivir para | lo vas a pagar caro
"""
INTIMIDATION = tuple(
    phrase.strip()
    for block in (_INTIMIDATION_EN, _INTIMIDATION_ES)
    for line in block.strip().splitlines()
    for phrase in line.split("|")
)
