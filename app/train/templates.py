"""Sentence templates of the behavioural suite and of the negation augmentation (CheckList-style:
Ribeiro et al., ACL 2020), and the sentences written by hand.

Three disjoint sets: AUGMENTATION (training data), SUITE_TRAIN (the training-side suite: choices
may look at it) and SUITE_HELD (the held-out suite: reported only). A template is
(kind, text, rule): `{x}` is the word that decides, `{y}` a word of the other sign, `{s}`/`{s2}`
subjects, `{n}` a noun, `{i}`/`{d}` an intensifier / diminisher, `{v}`/`{vd}` a verb of liking
(present / past), which decides instead of `{x}` where there is one. rule "same": the sentence
has the sign of the deciding word; "flip": the other sign.
"""

from __future__ import annotations

Template = tuple[str, str, str]  # kind, text, rule

# kinds -> suite categories: "negation" becomes negated_positive / negated_negative by the sign of
# the negated word; the others are categories as they are.
KINDS = ("plain", "negation", "distance", "contrast", "intensity", "filler")

AUGMENTATION: list[Template] = [
    ("plain", "{s} is {x}.", "same"),
    ("plain", "wow , {s} was {x}!", "same"),
    ("plain", "a {x} {n}.", "same"),
    ("plain", "what a {x} {n}", "same"),
    ("plain", "{s} felt {x} to me.", "same"),
    ("plain", "i found {s} {x}.", "same"),
    ("plain", "i {v} {s}.", "same"),
    ("plain", "we {vd} it.", "same"),
    ("negation", "{s} is not {x}.", "flip"),
    ("negation", "{s} wasn't {x}.", "flip"),
    ("negation", "it is not {x} at all.", "flip"),
    ("negation", "not {x}.", "flip"),
    ("negation", "not a {x} {n}.", "flip"),
    ("negation", "{s} was never {x}.", "flip"),
    ("negation", "there is nothing {x} about {s}.", "flip"),
    ("negation", "{s} is hardly {x}.", "flip"),
    ("negation", "no one would call {s} {x}.", "flip"),
    ("negation", "{s} was not very {x}.", "flip"),
    ("negation", "{s} isn't {x} in any way.", "flip"),
    ("negation", "it never felt {x}.", "flip"),
    ("negation", "i did not {v} {s}.", "flip"),
    ("negation", "i don't {v} it.", "flip"),
    ("negation", "we never {vd} {s}.", "flip"),
    ("negation", "nobody {vd} it.", "flip"),
    ("negation", "it is no {x} {n}.", "flip"),
    ("negation", "not {x} , not at all.", "flip"),
    ("distance", "i do not think that {s} is {x}.", "flip"),
    ("distance", "i would not say {s} was {x}.", "flip"),
    ("distance", "{s} is not , in my opinion , {x}.", "flip"),
    ("distance", "it wasn't what i would call {x}.", "flip"),
    ("distance", "i never thought {s} was {x}.", "flip"),
    ("distance", "not once did {s} feel {x}.", "flip"),
    ("distance", "i can't say that {s} was {x}.", "flip"),
    # The un-negated twin of every negation frame above: without them the frame itself ("i
    # thought ... was", "nobody ...") becomes the cue, and "I thought it was great" reads negative.
    ("plain", "it is {x} , all in all.", "same"),
    ("plain", "{x}.", "same"),
    ("plain", "such a {x} {n}.", "same"),
    ("plain", "{s} was always {x}.", "same"),
    ("plain", "there is something {x} about {s}.", "same"),
    ("plain", "{s} is clearly {x}.", "same"),
    ("plain", "everyone would call {s} {x}.", "same"),
    ("plain", "{s} was {x} in every way.", "same"),
    ("plain", "it always felt {x}.", "same"),
    ("plain", "i did {v} {s}.", "same"),
    ("plain", "i do {v} it.", "same"),
    ("plain", "we always {vd} {s}.", "same"),
    ("plain", "everybody {vd} it.", "same"),
    ("plain", "it is a {x} {n}.", "same"),
    ("plain", "{s} was {x} , not at all what i feared.", "same"),
    ("plain", "i do think that {s} is {x}.", "same"),
    ("plain", "i would say {s} was {x}.", "same"),
    ("plain", "{s} is , in my opinion , {x}.", "same"),
    ("plain", "it was what i would call {x}.", "same"),
    ("plain", "i always thought {s} was {x}.", "same"),
    ("plain", "once again {s} felt {x}.", "same"),
    ("plain", "i can say that {s} was {x}.", "same"),
    ("contrast", "{s} is {y} , but {s2} is {x}.", "same"),
    ("contrast", "{y} at first , but in the end {x}.", "same"),
    ("contrast", "though {s} was {y} , {s2} was {x}.", "same"),
    ("contrast", "{s2} is {x} , even if {s} is {y}.", "same"),
    ("contrast", "despite {s} being {y} , {s2} is {x}.", "same"),
    ("contrast", "{y} , yet {x}.", "same"),
    ("contrast", "{s} was {y} ; however , {s2} was {x}.", "same"),
    ("intensity", "{s} is {i} {x}.", "same"),
    ("intensity", "{i} {x} {n}.", "same"),
    ("intensity", "{s} was {d} {x}.", "same"),
    ("intensity", "{s} seemed {d} {x}.", "same"),
    ("filler", "{s} , which i watched last night , was {x}.", "same"),
    ("filler", "on saturday i saw {s} . it was {x}.", "same"),
    ("filler", "{s} was {x} , as i told my sister.", "same"),
    ("filler", "after a long week at work , i found {s} {x}.", "same"),
]

# For VADER's other rated words (lexicon.extra): frames any word fits, whatever its part of speech,
# and the frames of AUGMENTATION above that an adjective fits (lexicon.is_adjective).
LEXICON_ANY: list[Template] = [
    ("plain", "in a word : {x}.", "same"),
    ("plain", "one word for {s} : {x}.", "same"),
    ("plain", "my verdict : {x}.", "same"),
    ("plain", "{x} , from start to finish.", "same"),
]
LEXICON_ADJECTIVE: list[Template] = [
    ("plain", "{s} is {x}.", "same"),
    ("plain", "i found {s} {x}.", "same"),
    ("plain", "a {x} {n}.", "same"),
    ("negation", "{s} is not {x}.", "flip"),
    ("negation", "{s} wasn't {x}.", "flip"),
]
LEXICON_PAST: list[Template] = [
    ("plain", "we {x} it.", "same"),
    ("plain", "{s} left me {x}.", "same"),
    ("plain", "i was {x} by {s}.", "same"),
    ("negation", "{s} never left me {x}.", "flip"),
]
# The training-side suite's "new words" part: SUITE_TRAIN frames over the words kept aside.
SUITE_TRAIN_NEW_WORDS: list[Template] = [
    ("plain", "{s} was {x}.", "same"),
    ("plain", "I thought {s} was {x}.", "same"),
    ("negation", "{s} was not {x}.", "flip"),
]

# More negation at a distance (--augment-distance): the seven frames above were the weakest
# category of every model shipped before; each new frame comes with its un-negated twin.
AUGMENTATION_DISTANCE: list[Template] = [
    ("distance", "i am not persuaded that {s} is {x}.", "flip"),
    ("distance", "at no point did {s} seem {x}.", "flip"),
    ("distance", "{s} does not , as far as i can tell , come across as {x}.", "flip"),
    ("distance", "i do not remember {s} being {x}.", "flip"),
    ("distance", "none of my colleagues thought {s} was {x}.", "flip"),
    ("distance", "i was never under the impression that {s} was {x}.", "flip"),
    ("distance", "{s} is not , to my mind , {x}.", "flip"),
    ("distance", "i wouldn't go so far as to call {s} {x}.", "flip"),
    ("plain", "i am persuaded that {s} is {x}.", "same"),
    ("plain", "at every point {s} seemed {x}.", "same"),
    ("plain", "{s} does , as far as i can tell , come across as {x}.", "same"),
    ("plain", "i do remember {s} being {x}.", "same"),
    ("plain", "all of my colleagues thought {s} was {x}.", "same"),
    ("plain", "i was always under the impression that {s} was {x}.", "same"),
    ("plain", "{s} is , to my mind , {x}.", "same"),
    ("plain", "i would go so far as to call {s} {x}.", "same"),
]

SUITE_TRAIN: list[Template] = [
    ("plain", "{s} was {x}.", "same"),
    ("plain", "I thought {s} was {x}.", "same"),
    ("plain", "This is a {x} {n}.", "same"),
    ("plain", "I {vd} {s}.", "same"),
    ("negation", "{s} was not {x}.", "flip"),
    ("negation", "{s} isn't {x} at all.", "flip"),
    ("negation", "It is never {x}.", "flip"),
    ("negation", "Nothing about {s} was {x}.", "flip"),
    ("negation", "{s} was hardly {x}.", "flip"),
    ("negation", "This is not a {x} {n}.", "flip"),
    ("negation", "I didn't {v} {s}.", "flip"),
    ("negation", "There was no {x} moment in {s}.", "flip"),
    ("distance", "I don't think {s} was {x}.", "flip"),
    ("distance", "I would never describe {s} as {x}.", "flip"),
    ("distance", "{s} is not what anyone would call {x}.", "flip"),
    # Negation at a distance in wordings the augmentation does not have: the three above are all
    # near an augmentation frame, and every model was at 100% on them while negation at a distance
    # stayed its weakest held-out category (the card's figures for the models shipped before).
    ("distance", "I didn't find {s} {x}.", "flip"),
    ("distance", "I have never found {s} to be {x}.", "flip"),
    ("distance", "It's not as if {s} was {x}.", "flip"),
    ("distance", "I wouldn't call {s} {x} myself.", "flip"),
    ("distance", "{s} was not, for me, {x}.", "flip"),
    ("distance", "Not for a moment did I find {s} {x}.", "flip"),
    ("contrast", "{s} was {y}, but {s2} was {x}.", "same"),
    ("contrast", "Although {s} was {y}, {s2} was {x}.", "same"),
    ("contrast", "{s} seemed {y} at first, but it turned out {x}.", "same"),
    ("intensity", "{s} was {i} {x}.", "same"),
    ("intensity", "{s} is {d} {x}.", "same"),
    ("filler", "I watched {s} with my brother on Sunday, and it was {x}.", "same"),
    ("filler", "{s}, which runs about two hours, is {x}.", "same"),
]

SUITE_HELD: list[Template] = [
    ("plain", "Honestly, {s} turned out {x}.", "same"),
    ("plain", "Everyone agrees: {s} is {x}.", "same"),
    ("plain", "We {vd} every minute of {s}.", "same"),
    ("negation", "{s} certainly wasn't {x}.", "flip"),
    ("negation", "{s} is by no means {x}.", "flip"),
    ("negation", "{s} was never once {x}.", "flip"),
    ("negation", "There's nothing {x} in {s}.", "flip"),
    ("negation", "{s} could hardly be called {x}.", "flip"),
    ("negation", "No part of {s} was {x}.", "flip"),
    ("negation", "We didn't {v} {s} at all.", "flip"),
    ("negation", "It's not a {x} {n}, sadly.", "flip"),
    ("distance", "I really don't believe {s} is {x}.", "flip"),
    ("distance", "Nobody I know thinks {s} is {x}.", "flip"),
    ("distance", "{s} isn't, whatever the posters say, {x}.", "flip"),
    ("distance", "I doubt anyone will find {s} {x}.", "flip"),
    ("contrast", "{s} starts {y} but ends up {x}.", "same"),
    ("contrast", "While {s} is {y} in places, overall it is {x}.", "same"),
    ("contrast", "{s} has {y} moments, but mostly it is {x}.", "same"),
    ("contrast", "Although some scenes are {y}, {s} is {x}.", "same"),
    ("intensity", "{s} felt {i} {x}.", "same"),
    ("intensity", "It was {d} {x}, all things considered.", "same"),
    ("filler", "We went to see {s} after dinner at my aunt's place, and it was {x}.", "same"),
    ("filler", "According to the ticket, {s} started at eight; it was {x}.", "same"),
    ("filler", "{s} was {x}, I told my neighbour on the bus this morning.", "same"),
]

# Written by hand for the held-out suite: (category, text, label). The issue's own examples first.
HAND_HELD: list[tuple[str, str, str]] = [
    ("negated_negative", "not bad at all", "positive"),
    ("negated_positive", "I did not love it", "negative"),
    ("negation_distance", "I don't think this movie was good", "negative"),
    ("negated_negative", "It wasn't terrible.", "positive"),
    ("negated_negative", "Honestly not a bad way to spend an evening.", "positive"),
    ("negated_negative", "The food was not awful, I must admit.", "positive"),
    ("negated_negative", "I never once felt bored.", "positive"),
    ("negated_negative", "Nothing about the acting was weak.", "positive"),
    ("negated_negative", "There is not a single dull scene.", "positive"),
    ("negated_negative", "It is hardly a disappointment.", "positive"),
    ("negated_negative", "I can't complain about anything.", "positive"),
    ("negated_positive", "Not the masterpiece they promised.", "negative"),
    ("negated_positive", "The jokes were not funny.", "negative"),
    ("negated_positive", "I wouldn't recommend it to anyone.", "negative"),
    ("negated_positive", "Nothing in it is worth your time.", "negative"),
    ("negated_positive", "It's not good, and it's not even interesting.", "negative"),
    ("negated_positive", "No, it was not worth the money.", "negative"),
    ("negated_positive", "The service was never friendly.", "negative"),
    ("negated_positive", "The cast hardly seemed to enjoy themselves.", "negative"),
    ("negation_distance", "I don't think anyone could call this plot original.", "negative"),
    ("negation_distance", "I do not, for one second, believe the ending was earned.", "negative"),
    ("negation_distance", "It isn't, despite all the hype, a great film.", "negative"),
    ("negation_distance", "I didn't expect to, but I did not hate it.", "positive"),
    ("contrast", "The trailer was exciting, but the movie was a letdown.", "negative"),
    ("contrast", "The beginning drags, but the last hour is superb.", "positive"),
    ("contrast", "Although the reviews were harsh, I loved it.", "positive"),
    ("contrast", "Great cast, but a terrible script.", "negative"),
    ("contrast", "It has a weak start, but a wonderful finish.", "positive"),
    ("intensity", "It was absolutely wonderful.", "positive"),
    ("intensity", "The plot is slightly boring.", "negative"),
    ("intensity", "An incredibly moving story.", "positive"),
    ("intensity", "The sound was a little disappointing.", "negative"),
    ("filler", "My wife and I saw it on a rainy Tuesday, and it was excellent.", "positive"),
    ("filler", "The film, which was shot in Canada in 2019, is dull.", "negative"),
    ("plain", "What a delightful surprise.", "positive"),
    ("plain", "A tedious, forgettable movie.", "negative"),
]
