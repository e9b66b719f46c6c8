"""Speech that is not a command to the home: chit-chat, general questions, TV and radio talk,
and near misses that mention devices or rooms without asking for anything ("I turned the
kitchen light off yesterday"). Seeded and built from our own word lists and patterns.
"""

from __future__ import annotations

import random
import re
from typing import Dict, List

PEOPLE = ["mum", "dad", "john", "sarah", "grandma", "the kids", "your brother", "my boss",
          "the neighbours", "emma", "mike", "the plumber", "aunt lucy", "our teacher", "tom"]
PLACES = ["the shops", "work", "school", "the park", "the gym", "the airport", "london",
          "the beach", "the cinema", "the doctor", "church", "the office", "town", "paris"]
THINGS = ["the car", "my phone", "the keys", "dinner", "the report", "the dog", "the bins",
          "the laundry", "my glasses", "the remote", "the homework", "the tickets", "lunch",
          "the cake", "the presents", "the bill", "my wallet", "the umbrella"]
TIMES = ["tomorrow", "yesterday", "tonight", "last week", "next monday", "this morning",
         "on friday", "in the summer", "after lunch", "at the weekend", "later", "last night"]
ROOMS = ["kitchen", "living room", "bedroom", "bathroom", "garage", "hallway", "office",
         "garden", "attic", "basement", "dining room", "kids room"]
DEVICES = ["light", "lights", "lamp", "tv", "heating", "fan", "blinds", "door", "speaker",
           "thermostat", "timer", "radio", "music", "washing machine", "oven", "fridge"]
TOPICS = ["football", "the election", "the new film", "that show", "the match", "politics",
          "the recipe", "the holiday", "the traffic", "the price of petrol", "the budget",
          "climate change", "the concert", "the book", "the weather last summer"]
VERBS = ["fix", "clean", "paint", "sell", "buy", "move", "check", "find", "call", "visit"]
NUMBERS = ["two", "three", "five", "ten", "twenty", "fifty", "a hundred", "7", "12", "30"]

PATTERNS = [
    # chit-chat
    "i'm going to {place} {time}", "did you see {person} {time}", "{person} is coming over {time}",
    "have you seen {thing}", "i can't find {thing} anywhere", "don't forget {thing}",
    "we need to {verb} {thing} {time}", "where did you put {thing}", "that was a great day",
    "i'm so tired", "what do you want for dinner", "can you believe it", "i'll be back {time}",
    "{person} said it was fine", "let's go to {place} {time}", "it's been a long day",
    "i think {person} is right", "do you know where {thing} is", "tell {person} i said hi",
    "i told you {time}", "stop it", "come here", "hurry up we're late", "i love you",
    "good night", "good morning everyone", "thank you so much", "yeah that sounds good",
    "no i don't think so", "what did {person} say", "how was {place}", "are you hungry",
    "we should {verb} {thing}", "who's going to {verb} {thing}", "i'll {verb} {thing} {time}",
    # questions for a general assistant (not home intents)
    "who won {topic}", "how tall is the eiffel tower", "what's the capital of australia",
    "how do you spell necessary", "tell me a joke", "what's {number} times {number}",
    "how far is it to {place}", "when does {place} open", "who is the president of france",
    "what does photosynthesis mean", "play twenty questions with me", "what's on at the cinema",
    "how many calories are in an apple", "translate hello into spanish", "sing me a song",
    "what's your name", "are you listening", "how old are you", "what can you do",
    "what's the news about {topic}", "remind me what {person} said about {topic}",
    # TV and radio speech
    "and now over to our reporter in {place}", "stay tuned after the break",
    "the match ended {number} nil", "welcome back to the show", "in other news {topic} again",
    "scientists say the results are surprising", "the minister will speak {time}",
    "tonight on channel four a new drama", "the temperature in madrid reached forty degrees",
    "traffic is heavy on the motorway {time}", "shares fell sharply {time}",
    "police are appealing for witnesses", "this programme contains strong language",
    "you're listening to the morning show", "and that's all from us tonight",
    "the weather in the north will be wet and windy {time}",
    "turn to page {number} in your books", "the lights went down and the crowd went wild",
    # near misses: devices and rooms without a request
    "i turned off the {device} {time}", "the {device} in the {room} is broken",
    "{person} left the {device} on {time}", "the {room} {device} was really expensive",
    "we bought a new {device} for the {room}", "why is the {device} so loud",
    "i think the {room} needs painting", "the {device} has been making a weird noise",
    "did {person} fix the {device}", "i was in the {room} {time}",
    "my {device} at work never turns off", "the {room} is a mess",
    "{person} wants a {device} in the {room}", "i set a timer {time} but it didn't go off",
    "the cat knocked over the {device}", "it was warmer in the {room} {time}",
    "do you remember when the {device} caught fire", "the {device} manual is in the {room}",
    "she paused the film and went to bed", "he turned the music up so loud {time}",
    "i'll tell you what time it is when you get up", "the shopping list is on the fridge",
    "my sister opened the garage door with her phone", "the lights in that shop are so bright",
]

# Training-only patterns: never held out (the held-out patterns above stay as they were), more
# kinds of non-commands so that "how ..." and "when does ..." questions are not read as home
# intents.
TRAIN_ONLY_PATTERNS = [
    "what time does {place} close", "is {place} open {time}", "how long does it take to get to "
    "{place}", "how old is {person}", "how old is the universe", "what year did {topic} happen",
    "what are you doing", "what are you up to {time}", "what's your favourite colour",
    "can you hear me", "do you like music", "who are you", "what do you think about {topic}",
    "where are you from", "tell me a story", "say something funny", "what's the meaning of life",
    "how do i make pancakes", "what's a good name for a dog", "how big is the moon",
    "how hot is the sun", "how cold is it on mars", "what's the time in tokyo like",
    "when did {person} get home", "when is {person} coming back", "when does the film start",
    "how was your day", "how are you", "how's {person} doing", "is {person} coming {time}",
    "i fixed the {device} {time}", "the {device} is really old", "can {person} fix the {device}",
    "{person} broke the {device} {time}", "we need a new {device} for the {room}",
    "the {device} is in the {room}", "look at that", "go away", "be quiet {person}", "sit down",
    "wait for me", "i'm hungry", "let's have pizza {time}", "the film starts at {number}",
    "and now the forecast for {place}", "back to the studio", "{person} is on the phone",
    "that's not what i said", "the kids are asleep", "he switched jobs {time}",
    "the timer on the {device} is broken", "how much is a new {device}",
    "is it true that {topic} is over", "who invented the {device}", "what's on tv {time}",
    "put your shoes on", "turn around and look", "open your books", "close your eyes",
    "set the table please", "add some salt to the soup", "i'll start the car",
    "{person} turned {number} {time}", "we were in {place} for {number} days",
]

FILL: Dict[str, List[str]] = {
    "person": PEOPLE, "place": PLACES, "thing": THINGS, "time": TIMES, "room": ROOMS,
    "device": DEVICES, "topic": TOPICS, "verb": VERBS, "number": NUMBERS,
}
_FIELD = re.compile(r"\{(\w+)\}")


def none_sentence(rng: random.Random, patterns: List[str] = PATTERNS) -> str:
    pattern = rng.choice(patterns)
    return _FIELD.sub(lambda m: rng.choice(FILL[m.group(1)]), pattern)


def split_patterns(seed: int, heldout_fraction: float = 0.2) -> Dict[str, List[str]]:
    """Patterns for training and held-out patterns never seen in training."""
    order = sorted(PATTERNS)
    random.Random(f"{seed}:none-patterns").shuffle(order)
    k = max(1, round(len(order) * heldout_fraction))
    return {"heldout": order[:k], "train": order[k:] + TRAIN_ONLY_PATTERNS}
