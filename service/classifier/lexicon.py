"""Word classes that pool rare words into one shared feature.

A threat rarely repeats its words: one stabs, the next burns a house, the next brings a bat.
Each of those words appears a handful of times in the training data, too few for its own
weight to be learned. Every word listed here also counts as one occurrence of a shared
pseudo-word, so what the model learns from any of them carries to the others, in both
languages, including words the seed never used.

The class says "violent act or weapon", not "threat": the same words fill civil comments
("this budget will kill rural hospitals", "ban assault rifles"), and the model weighs the
class, like any word, against those. Words with a common harmless sense ("hang out", "gas
prices", "execute a plan", "beat the deadline") are left out.

The same holds for abusive vocabulary: INSULT and SLUR below. The training data uses
"idiot" and "gilipollas" often, "cretino" or "muzrat" rarely or never; through its class a
rare one weighs what the common ones taught. PROFANITY is listed but not a class (why:
beside it). Intimidation is a class of phrases. Words are
in normalized form: lowercase, without accents, letters only.
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


# Abusive vocabulary. INSULT: words that call a person or a group something contemptuous
# (idiot, gilipollas), with the deliberately contemptuous political coinages of every side
# (libtard, trumptard, perroflauta, fachapobre). SLUR: slurs against a group. Each is a class.
# PROFANITY, swearing that names no one (fuck, bullshit, joder, mierda), is not: pooled, it
# learned the abuse of the insults it sits beside in the training data, where untargeted
# swearing is rare (OLID's and Davidson's is left out), and pushed civil rants towards abuse
# ("What a load of bullshit from the ministry" 0.62 -> 0.77, against 0.61 without it). Its
# words are listed so that masked forms ("f*ck") are read as the word.
# Each word is in one list; one mostly aimed at a person is an insult. Left out: words with
# a common harmless sense, group names themselves (naming a group is not a slur), ordinary
# political labels, even pejorative ones (the blog is political; strong opinions are not
# abuse), and mild frequent words whose mostly civil use would drag the class's weight down.
# They keep their own n-grams; the list of them, with reasons, follows the classes.
_INSULT_EN = """
idiot idiots idiotic moron morons moronic imbecile imbeciles cretin cretins
halfwit halfwits dimwit dimwits dumbass dumbasses dumbfuck dumbfucks dumbshit
fuckwit fuckwits fucktard fucktards fuckface fuckhead fuckheads fuckwad fucker
fuckers motherfucker motherfuckers mothafucka muthafucka asshole assholes
arsehole arseholes asshat assclown asswipe jackass jackasses fatass dickhead
dickheads prick pricks twat twats cunt cunts wanker wankers tosser tossers
bellend bellends knobhead shithead shitheads shitbag shitbags dipshit dipshits
douchebag douchebags douche cocksucker cocksuckers bullshitter bastard
bastards sonofabitch bitch bitches whore whores slut sluts skank skanks thot
thots retard retards retarded tard spaz scum scumbag scumbags dirtbag dirtbags
sleazeball lowlife lowlifes degenerate degenerates parasite parasites vermin
subhuman subhumans untermensch libtard libtards leftard leftards trumptard
trumptards feminazi feminazis demonrat demonrats democrap democraps
rethuglican rethuglicans repuglican repuglicans cuck cucks cuckservative
cuckservatives magat magats moonbat moonbats
"""

_INSULT_ES = """
idiota idiotas imbecil cretino cretina cretinos cretinas gilipollas tarado
tarada tarados taradas subnormal subnormales mongolo mongola mongolos mongolas
mongolico mongolica mongolicos pendejo pendeja pendejos pendejas pelotudo
pelotuda pelotudos boludo boluda boludos huevon huevona huevones cojudo
cojudos conchudo cabron cabrona cabrones cabronas cabronazo capullo capulla
capullos mamon mamona mamones mamaguevo mamahuevo comemierda comemierdas
mierdecilla soplapollas chupapollas lameculos pajero pajeros culero culera
culeros cagon cagones malparido malparida malparidos malparidas malnacido
malnacida malnacidos hijoputa hijoputas hijaputa hijueputa hijueputas hdp hpta
bastardo bastarda bastardos zorra zorras putona furcia furcias
ramera rameras golfa golfas buscona escoria escorias parasito parasitos chusma
gentuza canalla canallas subhumano subhumanos perroflauta perroflautas
fachapobre fachapobres fachorro fachorros sociolisto sociolistos podemierda
progretonto progretontos lazi lazis nordo nordos
"""

_PROFANITY_EN = """
fuck fucks fucked fucking fuckin fuckery fuckup fuckups fck fcking fckin fking
fkn fuk fukin fuking effing motherfucking cunting shit shits shitty shitting
shite shitshow shitstorm shitload shithole shitholes bullshit bullshitting
horseshit chickenshit batshit apeshit turd turds piss pissed pissing pisses
goddamn goddamned bollocks bugger buggered arse arsed wank wanking jizz
bitching wtf stfu gtfo
"""

_PROFANITY_ES = """
joder jode joda jodan jodete jodeos jodido jodida jodidos jodidas jodienda
mierda mierdas cono conazo carajo carajos hostia hostias ostia ostias puto
putos puta putas putada putadas putamadre puneta punetas cojones cojon cojonudo acojonado
cagar cago cagada cagadas cagarla cagando follar follando follen gilipollez
gilipolleces cabronada cabronadas chingar chingada chingado chingados
chingadera chingaderas chingon chingue verga vergas pinche pinches pendejada
pendejadas mamada mamadas conchetumadre conchatumadre ctm ptm
"""

_SLUR_EN = """
nigger niggers nigga niggas niggaz nignog wigger wiggers jigaboo groid darkie
pickaninny honkey honkies whitey peckerwood spic spics wetback wetbacks beaner
beaners greaseball greaseballs gook gooks chinky chinaman zipperhead jap japs
paki pakis dothead raghead ragheads towelhead towelheads sandnigger
sandniggers muzzie muzzies muzrat kike kikes yid yids heeb jewboy faggot
faggots poofter poofters lesbo lezzie tranny trannies shemale shemales troon
troons gyppo pikey pikeys wop wops dago dagos polack polacks injun injuns
squaw
"""

_SLUR_ES = """
maricon maricones marica maricas maricona mariconazo mariconada mariconadas
mariposon joto jotos bujarra bujarron soplanucas muerdealmohadas trolo trolos
maraco maracos bollera bolleras tortillera tortilleras machorra marimacho
travelo travelos sidoso sidosos sudaca sudacas panchito panchitos negrata
negratas negraco moraco moracos moromierda musulmierda judiada judiadas
charnego charnegos maketo maketos mayate mayates
"""

# Left out, with the reason.  These words still get ordinary n-gram features;
# they are only kept out of the pooled classes.
#
# Common harmless sense (the colour, the animal, the everyday meaning):
#   negro            Spanish for the colour black.  MUST stay out.  (negrito,
#                    prieto: affectionate / surname in Latin America.)
#   black, gay, queer, jew, judio, muslim, musulman, gitano, gypsy, chino,
#   indio, gringo, gallego, polaco, payo, guiri
#                    group names or demonyms; naming a group is not a slur.
#                    (gringo, gallego, polaco are neutral in most dialects.)
#   moro             also a surname and a historical term (los moros); the
#                    unambiguous coinages moraco / moromierda are in SLUR.
#   dog, perro, perra, perras   pets (perras is also Spanish slang for money).
#   pig, swine, cerdo, cerda, puerco, marrano, guarro, guarra
#                    animals / pork in recipes / "dirty"; swine flu;
#                    marrano is also a historical term.
#   rat, rats, rata, snake, cockroach, gusano, alimana, mono, simio, ape,
#   monkey, gorila, zorro
#                    animals (zorra stays in INSULT: the "vixen" sense is rare
#                    next to the insult).
#   ass              donkey; also mild and very frequent.
#   cock, cocks      rooster.   pussy: cat.   dick, dicks: the name Dick.
#   tit, tits        the bird; "tit for tat".
#   hoe, ho          garden tool; "ho ho".
#   slag             "to slag off" = to criticise; mining waste.
#   tramp, bimbo     vagrant; Bimbo is a bread brand in Spain and Mexico.
#   fag, fags        British "cigarette".
#   dyke, dykes      flood embankment; also a reclaimed self-description.
#   homo             Homo sapiens.   poof: the interjection.
#   lesbos           the Greek island (refugee news).
#   coon, coons      raccoon; the Maine Coon cat; a surname.
#   honky            honky-tonk (honkey / honkies are kept).
#   spick            "spick and span" (spic / spics are kept).
#   chink, chinks    "a chink in the armour", a stock phrase of political
#                    commentary (chinky / chinaman are kept).
#   slant, spade, spook, nip, trap, frog, guinea, paddy, mick, cracker,
#   greaser          ordinary words / names.
#   kaffir, kafir    kaffir lime (cooking); kafir is a religious term.
#   redskin(s)       the former team name, discussed in sports and politics.
#   sambo            the martial art.   negroid, mongoloid: outdated
#                    anthropological terms met in historical discussion.
#   niggard(ly)      means "stingy"; unrelated to the slur.
#   mong             the Hmong/Mong people.   spastic, cripple: medical term;
#                    "crippling debt".
#   maricon forms are kept, but mariquita (ladybird), mariposa (butterfly),
#   maraca (instrument), jota (the letter, the dance), camionera (female
#   truck driver), traba (obstacle), bollo (bun), travesti (neutral /
#   self-description), invertido (inverted, invested) are out.
#   mojado, mojados  "wet"; mena, menas: the administrative acronym for
#                    unaccompanied minors (and "ore") -- political vocabulary.
#   cholo, chola     identity term; nickname of Atletico Madrid's coach.
#   basura, trash    garbage collection, "comida basura".  (escoria, scum
#                    are kept.)
#   lacra            "scourge" in civil use ("la lacra del paro").
#   retrasado(s)     "delayed, late" (el tren va retrasado).  subnormal,
#                    mongolo, retard are kept.
#   anormal          "abnormal".   desgraciado: "unfortunate".
#   miserable        "wretched", civil.   fulano/fulana: "so-and-so".
#   golfo            gulf (golfa is kept).   gil, forro: surname; "lining".
#   polla, pollas    young hen; Chilean lottery.  concha, chucha: shell;
#                    women's names.   huevos, leche, leches: eggs, milk.
#   culo             the everyday colloquial word for buttocks in Spain.
#   pedo             "fart" / Mexican "problem"; English "pedo" collides.
#   coger            "to take" in Spain.   pos: colloquial "pues" (not
#                    "piece of shit").   hp: horsepower, the brand.
#   bs, af, sob, sod, screw, suck, sucks, cum, knob, git, twit, muppet
#                    BS degree / bullshit; air force; to sob; turf; hardware;
#                    vacuum; "summa cum laude"; door knob; the software;
#                    Twitter; the Muppets.
#   jerk, jerks      "knee-jerk" (tokenised as knee + jerk).
#   creep            "scope creep".   maggot: the larva.   filth: dirt.
#   weon, marico     mostly friendly filler ("dude") in Chile / Venezuela.
#                    (huevon, boludo, marica are kept: still mainly insults
#                    in written comments, but they are noisier members.)
#
# Mild and frequent; mostly civil use would dilute the class weight:
#   hell, damn, dammit, crap, bloody, frigging, friggin, frickin, maldito,
#   maldita, demonios, diablos
#                    mild swearing used in perfectly civil rants.
#   stupid, dumb, silly, foolish, fool, tonto, bobo, estupido, pringado
#                    aimed at ideas as often as at people ("a stupid law");
#                    dumb also means mute.  ("idiotic" and "moronic" are
#                    kept: stronger, and derived from the nouns.)
#   clown, clowns, payaso, payasos
#                    the stock mockery of politicians, and the literal circus
#                    / children's-party sense; too mild for the pool.
#   loser, losers    sports and elections ("the loser of the race").
#   pissed stays in PROFANITY (crude, even when it only means "angry").
#
# Political vocabulary (strong opinions are not abuse):
#   liberal, conservative, leftist, rightwinger, commie, commies, nazi, fascist,
#   facha, fachas, rojo, rojos, rojeras, progre, progres, podemita, sociata,
#   separata, comunista, chavista, kuka, zurdo (also "left-handed"), charo
#   (a name), snowflake (weather), boomer, karen (a name), incel, sheeple,
#   redneck, hillbilly
#                    labels, including the half-jocular pejorative ones,
#                    used in ordinary debate.  facha and sociata are treated
#                    alike on purpose.  Only deliberately contemptuous
#                    coinages (libtard, trumptard, feminazi, magat,
#                    rethuglican, perroflauta, fachapobre, podemierda, lazi,
#                    nordo...) are in INSULT.
#   traitor, traidor, liar, mentiroso, hypocrite, corrupt, corrupto, ladron,
#   sinverguenza, troll
#                    accusations that are part of ordinary political argument
#                    (or of moderation meta-talk, for "troll").
#
# Placed on purpose:
#   puto, puta and their plurals -> PROFANITY: the intensifier ("el puto
#   gobierno", "esta puta ley") is as common as the insult, which keeps its
#   own n-grams (puto is also a homophobic slur in Mexico); putona -> INSULT.
#   motherfucker / fucker -> INSULT, motherfucking -> PROFANITY.
#   bullshitter (names a person) -> INSULT, bullshit -> PROFANITY.
#   retard, spaz, subnormal, mongolo, mongolico -> INSULT, not SLUR: in
#   comments they are generic "stupid" insults.  sidoso -> SLUR.
#   feminazi and imbeciles are listed once (English list) though they are
#   also Spanish (imbeciles = imbeciles after accent removal).
#   cono (= coño) collides with "cono", cone; kept, the cone sense is rare
#   in comments.  hostia also means the Eucharistic host; kept, same reason.
#   capullo (flower bud, cocoon), pajero (a car model), panchito (a snack
#   brand, a nickname), mayate (a beetle), tortillera (tortilla maker in
#   Mexico), parasite / parasito (biology), degenerate (maths): kept, the
#   harmless senses are rare in blog comments.

INSULT = frozenset(_INSULT_EN.split()) | frozenset(_INSULT_ES.split())
PROFANITY = frozenset(_PROFANITY_EN.split()) | frozenset(_PROFANITY_ES.split())
SLUR = frozenset(_SLUR_EN.split()) | frozenset(_SLUR_ES.split())

# An insult aimed at the reader or another commenter: an INSULT word or one of the mild words
# below within AIM_WINDOW words of a word of the second person, in the same sentence ("you
# are the dumbest", "qué tonto eres", "cállate, ignorante"). The mild words stay out of the
# INSULT class, since "a stupid law" judges an idea, not a person; aimed at "you", they
# insult someone. The pair counts as one shared pseudo-word, like a class.
_MILD_INSULT_EN = """
stupid stupider stupidest dumb dumber dumbest silly foolish fool fools ignorant
pathetic clown clowns loser losers
"""
_MILD_INSULT_ES = """
tonto tonta tontos tontas bobo boba bobos bobas estupido estupida estupidos estupidas
ignorante ignorantes patetico patetica pateticos pateticas payaso payasa payasos payasas
pringado pringada pringados pringadas inutil inutiles
"""
MILD_INSULT = frozenset(_MILD_INSULT_EN.split()) | frozenset(_MILD_INSULT_ES.split())
# Pronouns and "to be" of the second person, and the Spanish commands to shut up or get
# lost, which speak to someone; "vos" and "sos" are "tú" and "eres" in Argentina, Uruguay and
# much of Central America ("sos un boludo"; the English "SOS" is rare next to an insult).
# Normalized: "you're" is read as "you" and "re", "tú" as "tu".
# Left out: the possessives ("your argument is stupid" judges the argument; "tu" is also
# "tú", a loss), the Spanish object pronouns ("te parecerá tonto": it will seem silly to
# you), other verbs ("sabes", "tienes"), too many to list, and "ya" ("already").
_SECOND_PERSON_EN = "you yourself yourselves youre u"
_SECOND_PERSON_ES = """
ti contigo eres sois eras erais fuiste fuisteis usted ustedes vosotros vosotras vos sos
callate callaos largate largaos
"""
SECOND_PERSON = frozenset(_SECOND_PERSON_EN.split()) | frozenset(_SECOND_PERSON_ES.split())
# A negation in the two words before the insult, or between it and "you", says the opposite:
# "you're not stupid", "don't be silly", "no eres tonto por preguntar". "t" is what is left
# of "n't" ("aren't" reads "aren t"). A conjunction between them starts another clause:
# "your argument is stupid and you know it".
_NEGATION = "not no never t nor nunca ni tampoco jamas"
_CONJUNCTION = "and but or because while y pero o porque aunque mientras"
NEGATION = frozenset(_NEGATION.split())
CONJUNCTION = frozenset(_CONJUNCTION.split())
AIM_WINDOW = 3

# A group called vermin: a word that makes people into pests or beasts, within AIM_WINDOW
# words after "are" or "son" in the same sentence ("immigrants are vermin", "los inmigrantes
# son ratas", "they're an infestation"), counts as one shared pseudo-word, like an aimed
# insult. Plurals: a single person called an animal is praised as often ("he's an animal on
# the pitch"). Only after a verb of being: "rats are everywhere in the subway" is about rats,
# and "like" / "como" also condemns ("they treat refugees like animals"); and not when an
# animal stands just before the verb (ANIMALS below: "squirrels are vermin in my garden").
# Left out: "plague", "plaga", "peste" and "virus", said as often of mosquitoes, wild boars
# and computer viruses ("los jabalíes son una plaga"), which with them were blocked; "cancer"
# and "disease" (said of taxes and policies); "pigs" and "dogs" (pets, recipes); "criminals"
# and the like (a claim, however false, not a dehumanization); "bárbaros" ("great" in
# Argentina); "lacra" ("la lacra del paro"); and "parasites" / "parásitos": already insults
# (INSULT), and said this way of ticks and worms ("ticks are parasites"), which the insult
# class alone held and both together blocked. A negation in the two words before the noun,
# or between the verb and it, or a conjunction between them, reverses or parts them, as for
# aimed insults.
_DEHUMANIZING_EN = """
animals beasts savages rats vermin cockroaches roaches leeches maggots locusts lice
termites apes monkeys subhuman subhumans untermenschen infestation
"""
_DEHUMANIZING_ES = """
animales bestias salvajes ratas alimanas cucarachas sanguijuelas gusanos langostas
piojos garrapatas termitas monos simios infrahumanos infrahumanas subhumanos subhumanas
infestacion
"""
DEHUMANIZING = frozenset(_DEHUMANIZING_EN.split()) | frozenset(_DEHUMANIZING_ES.split())
# "re" is what is left of "they're" ("they" itself is read as the generic mark).
_BEING_PLURAL = "are were re son eran"
BEING_PLURAL = frozenset(_BEING_PLURAL.split())
# Animals, pests and pets that readers say are "animals", "vermin" or "rats" in the literal sense
# ("squirrels are vermin in my garden", "los perros son animales, no juguetes", "las palomas son
# ratas con alas"): when one of them stands just before the verb, a group is not being called
# vermin. Plurals, as the subjects of "are" and "son" are.
_ANIMALS_EN = """
animals pets dogs cats puppies kittens mice rats pigeons gulls crows squirrels rabbits foxes
deer boars pigs cows horses sheep goats chickens hens birds chimps chimpanzees gorillas apes
monkeys insects bugs pests mosquitoes wasps bees hornets ants flies slugs snails ticks fleas
lice bedbugs cockroaches roaches termites moths aphids locusts worms maggots leeches
parakeets parrots snakes spiders
"""
_ANIMALS_ES = """
animales mascotas perros perras gatos gatas cachorros ratones ratas palomas gaviotas cuervos
ardillas conejos zorros ciervos jabalies cerdos vacas caballos ovejas cabras gallinas pollos
pajaros aves chimpances gorilas monos simios insectos bichos plagas mosquitos avispas abejas
hormigas moscas babosas caracoles garrapatas pulgas piojos chinches cucarachas termitas
polillas pulgones langostas gusanos sanguijuelas cotorras loros serpientes aranas
"""
ANIMALS = frozenset(_ANIMALS_EN.split()) | frozenset(_ANIMALS_ES.split())

# Harm wished on someone: a word of dying or of harm suffered (HARM_WISHED) up to WISH_WINDOW
# words after a word of wishing (WISHING: "hope", "deserve", "ojalá", "espero"), in English
# with "you" up to AIM_WINDOW words before it too ("I hope you die", "hope u rot in hell",
# "you deserve to rot", "ojalá te mueras", "ojalá revientes"), counts as one shared
# pseudo-word; so do the phrases and words that tell someone to die or to harm themselves
# (HARM_URGED: "go die", "kys", "tírate de un puente", "muérete"). English needs the "you":
# things are wished dead every day ("I hope the bill dies in committee"). A negation or a
# conjunction between, or a negation in the two words before, parts or reverses them ("I
# hope you don't die of boredom", "ojalá no muera nadie más"), as for aimed insults.
# Left out: verbs with a common harmless sense, "burn" ("I hope you burn off that turkey",
# which with it was blocked out of fold), "choke" ("hope you don't choke up"), "drown" ("drown
# out") and "starve"; "dead" ("I hope you're dead wrong"), "cancer" ("I hope you beat it"),
# "suffer" ("they deserve to suffer the consequences"), "shot" ("hope you got your booster
# shot"), "hit" ("hope you hit your targets"), "killed" ("hope you killed it on stage"),
# "should" ("you should burn those receipts"), "morir" ("espero morir de viejo"), "arda"
# ("ojalá arda el sistema"), and phrases with a common harmless sense: "kill yourself"
# ("don't kill yourself over it"), "jump off a bridge" ("would you jump off a bridge too?"),
# "drink bleach" (a politician's advice, discussed), "just die" ("the batteries just die").
# Words in the two after the listed one that make it an idiom or a good wish (HARMLESS_AFTER):
# "you deserve to die with dignity" (the debate on assisted dying), "I hope you die happy at
# ninety", "que te mueras de envidia" and "de risa" (banter).
_HARM_WISHED_EN = """
die dies rot perish raped hanged lynched stabbed murdered
"""
# Spanish: the forms of "tú" and "vosotros" say who ("ojalá revientes"); those of the third
# person only with "te" or "os" just before ("ojalá te atropelle un camión"), since things
# die and burst too ("espero que la ley muera en el Congreso", "ojalá revienten las urnas").
_HARM_WISHED_ES_YOU = """
mueras muerais murieras murierais pudras pudrais revientes revienteis ahogues ahogueis
atragantes
"""
_HARM_WISHED_ES = """
muera mueran pudra pudran reviente revienten ahogue ahoguen atropelle atropellen violen
maten apunalen linchen disparen quemen
"""
HARM_WISHED_EN = frozenset(_HARM_WISHED_EN.split())
HARM_WISHED_ES_YOU = frozenset(_HARM_WISHED_ES_YOU.split())
HARM_WISHED_ES = frozenset(_HARM_WISHED_ES.split())
_WISHING = """
hope hopes hoping hopefully wish wishing deserve deserves
ojala espero esperemos deseo mereces mereceis merece merecen
"""
WISHING = frozenset(_WISHING.split())
_HARMLESS_AFTER = """
with peacefully happy laughing old dignity con dignidad envidia risa ganas gusto
aburrimiento verguenza sueno viejo vieja
"""
HARMLESS_AFTER = frozenset(_HARMLESS_AFTER.split())
WISH_WINDOW = 5
# "you" for wished harm: the pronouns, and "u" and "ya" as written in comments; in Spanish
# the object pronouns.
ADDRESSEE = frozenset(["you", "u", "ya", "yourself", "yourselves"])
ADDRESSEE_ES = frozenset(["te", "os"])
_HARM_URGED_EN = """
go die | die in a fire | die in a ditch | go kill yourself | go kill urself | go kill yourselves
kill yourself already | go hang yourself | go jump off a bridge | go drink bleach
neck yourself | go play in traffic
"""
_HARM_URGED_ES = """
vete a morir | vete a morirte | ve a morirte | andate a morir | tirate de un puente
tirate por un puente | tirate por la ventana | pegate un tiro | que te pudras
que os pudrais
"""
HARM_URGED = tuple(
    phrase.strip()
    for block in (_HARM_URGED_EN, _HARM_URGED_ES)
    for line in block.strip().splitlines()
    for phrase in line.split("|")
)
# One word that says the same: "kill yourself", "muérete", "mátate", "suicídate", "ahórcate".
HARM_URGED_WORDS = frozenset(["kys", "muerete", "matate", "suicidate", "ahorcate"])

# A group told to leave the country: a word of the homeland (HOMELAND) with "your", "their",
# "su" or the like (WHOSE) one or two words before it, and a word of going or sending back
# (EXPELLING) up to EXPEL_WINDOW words before it, in the same sentence: "go back to your own
# country", "get out of our country", "que se vuelvan a su país", "largaos de vuestra
# tierra", "de vuelta a su país". So do the stock phrases that send people back where they
# came from (EXPELLED), matched like the intimidation phrases. Calls for mass expulsion are
# identity attacks here (data/README.md). Not counted: a country merely named ("the economy
# of their country"); leaving it ("young people leave their country": "leave" is not listed);
# one's own journey back (COMING_BACK just before the verb: "I moved back to my country",
# "they came back to their country"); and, as for aimed insults, a negation in the two words
# before the homeland or between, a conjunction between, or a sentence's end.
# Left out: "fuera" ("estudiar fuera de su país": abroad), "home" and "casa" ("send the troops
# home", "vuelve a casa"), "deport" (the policy is argued civilly, "mass deportation would
# cost billions"; calls for it keep their own n-grams), "return", "volver" and "regresar" as
# infinitives ("help refugees return to their country", "quieren volver a su país"). Still
# counted, and left to the words around it: a return wished for people ("refugees should be
# able to go back to their country"), which the seed sets against the attacks.
_EXPELLING_EN = "back out"
_EXPELLING_ES = """
vuelve vuelvan volved vuelvanse vuelvase regresa regresen regresense regresad regresaos
regresate largate largaos larguense larguese vete idos iros vayanse vayase marchaos
marchense marchate echadlos echarlos expulsadlos expulsarlos devolvedlos mandadlos vuelta
"""
EXPELLING = frozenset(_EXPELLING_EN.split()) | frozenset(_EXPELLING_ES.split())
_HOMELAND = "country countries homeland homelands pais paises tierra tierras"
HOMELAND = frozenset(_HOMELAND.split())
_WHOSE = """
your their our own tu tus su sus vuestro vuestra vuestros vuestras nuestro nuestra
nuestros nuestras propio propia propios propias
"""
WHOSE = frozenset(_WHOSE.split())
_COMING_BACK = """
came come comes coming moved move moves moving went flew welcome brought bring bringing
travel traveled travelled
"""
COMING_BACK = frozenset(_COMING_BACK.split())
EXPEL_WINDOW = 4
_EXPELLED = """
back where you came from | back to where you came from | back where they came from
back to where they came from | back where you belong | back where they belong
de donde viniste | de donde vinisteis | de donde vinieron | por donde viniste
por donde vinisteis | por donde vinieron
"""
EXPELLED = tuple(
    phrase.strip() for line in _EXPELLED.strip().splitlines() for phrase in line.split("|")
)
