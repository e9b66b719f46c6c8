"""The spoken commands of the end-to-end set, with gold intent and slots, and the texts read
aloud in the negative ("TV") stretches.

The commands were written for this evaluation (none is a line of data/nlu/handwritten.jsonl,
tests/nlu_data or Home Assistant's sentence files; test_make_set.py checks the first). Intents
and slot names are Home Assistant's as earshot's NLU uses them (tools/nlu/intents.py; the
labelling conventions of data/nlu/handwritten.jsonl: covers and locks are HassTurnOn/Off, a
device of the default home said in full is `name`, "the lights in the X" is area + domain
light, timer durations are hours/minutes/seconds, brightness and volume are percentages).
Device, area and floor names are those of data/nlu/home.yaml.
"""
from __future__ import annotations

# (text, intent, slots). The test split's commands.
TEST_COMMANDS: list[tuple[str, str, dict]] = [
    # on / off by device name
    ("please switch on the floor lamp", "HassTurnOn", {"name": "floor lamp"}),
    ("turn the coffee maker on for me", "HassTurnOn", {"name": "coffee maker"}),
    ("shut off the bedside lamp", "HassTurnOff", {"name": "bedside lamp"}),
    ("could you turn off the ceiling fan", "HassTurnOff", {"name": "ceiling fan"}),
    ("switch off the dining table light", "HassTurnOff", {"name": "dining table light"}),
    ("turn on the desk fan", "HassTurnOn", {"name": "desk fan"}),
    # by area / floor and domain
    ("turn off the lights in the dining room", "HassTurnOff",
     {"area": "dining room", "domain": "light"}),
    ("switch the lights on in the office", "HassTurnOn", {"area": "office", "domain": "light"}),
    ("please turn off the lights upstairs", "HassTurnOff", {"floor": "upstairs", "domain": "light"}),
    ("turn on the lights in the hallway", "HassTurnOn", {"area": "hallway", "domain": "light"}),
    # covers, locks, scenes
    ("open up the garage door", "HassTurnOn", {"name": "garage door"}),
    ("close the living room curtains", "HassTurnOff", {"name": "living room curtains"}),
    ("lock the back door please", "HassTurnOn", {"name": "back door"}),
    ("unlock the front door for me", "HassTurnOff", {"name": "front door"}),
    ("turn on the bedtime routine", "HassTurnOn", {"name": "bedtime routine"}),
    # light settings
    ("dim the ceiling light to forty percent", "HassLightSet",
     {"name": "ceiling light", "brightness": 40}),
    ("set the kitchen lights to twenty five percent", "HassLightSet",
     {"area": "kitchen", "domain": "light", "brightness": 25}),
    ("make the desk lamp green", "HassLightSet", {"name": "desk lamp", "color": "green"}),
    ("change the bedroom lights to orange", "HassLightSet",
     {"area": "bedroom", "domain": "light", "color": "orange"}),
    ("brighten the floor lamp to ninety percent", "HassLightSet",
     {"name": "floor lamp", "brightness": 90}),
    # climate
    ("set the thermostat to twenty degrees", "HassClimateSetTemperature",
     {"name": "thermostat", "temperature": 20}),
    ("change the temperature to nineteen degrees", "HassClimateSetTemperature",
     {"temperature": 19}),
    ("what is the temperature in the bedroom", "HassClimateGetTemperature", {"area": "bedroom"}),
    # timers
    ("start a timer for seven minutes", "HassStartTimer", {"minutes": 7}),
    ("set a timer for ninety seconds", "HassStartTimer", {"seconds": 90}),
    ("set an egg timer for six minutes", "HassStartTimer", {"name": "egg", "minutes": 6}),
    ("set a timer for two hours and fifteen minutes", "HassStartTimer",
     {"hours": 2, "minutes": 15}),
    ("how much time is left on my timer", "HassTimerStatus", {}),
    ("cancel the egg timer", "HassCancelTimer", {"name": "egg"}),
    ("add ten minutes to my timer", "HassIncreaseTimer", {"minutes": 10}),
    # weather, time, date
    ("what is the weather going to be like today", "HassGetWeather", {}),
    ("how is the weather outside", "HassGetWeather", {}),
    ("tell me the time please", "HassGetCurrentTime", {}),
    ("what is the date today", "HassGetCurrentDate", {}),
    # shopping list
    ("add oat milk to my shopping list", "HassShoppingListAddItem", {"item": "oat milk"}),
    ("put bananas on the shopping list", "HassShoppingListAddItem", {"item": "bananas"}),
    ("add peanut butter to the shopping list", "HassShoppingListAddItem",
     {"item": "peanut butter"}),
    # media
    ("pause the bedroom speaker", "HassMediaPause", {"name": "bedroom speaker"}),
    ("skip to the next song", "HassMediaNext", {}),
    ("set the volume to forty percent", "HassSetVolume", {"volume_level": 40}),
    ("set the kitchen speaker volume to thirty five percent", "HassSetVolume",
     {"name": "kitchen speaker", "volume_level": 35}),
    # state
    ("is the back door locked right now", "HassGetState", {"name": "back door", "state": "locked"}),
]

# The dev split's commands: disjoint from the test split's, for tuning choices only.
DEV_COMMANDS: list[tuple[str, str, dict]] = [
    ("switch on the night light", "HassTurnOn", {"name": "night light"}),
    ("turn off the lights in the kitchen please", "HassTurnOff",
     {"area": "kitchen", "domain": "light"}),
    ("set the bedroom lights to sixty percent", "HassLightSet",
     {"area": "bedroom", "domain": "light", "brightness": 60}),
    ("set a timer for twelve minutes", "HassStartTimer", {"minutes": 12}),
    ("add coffee filters to my shopping list", "HassShoppingListAddItem",
     {"item": "coffee filters"}),
    ("set the thermostat to twenty one degrees", "HassClimateSetTemperature",
     {"name": "thermostat", "temperature": 21}),
    ("what is the weather like right now", "HassGetWeather", {}),
    ("close the garage door", "HassTurnOff", {"name": "garage door"}),
]

# Spoken-word stretches for the negatives, written for this set: news, weather, cooking, sport,
# documentary, advertising and talk-show styles, none containing the wake phrase. Some mention
# lights, timers or the weather, as television does, without being addressed to the speaker.
PARAGRAPHS: list[str] = [
    "Good evening and welcome to the six o'clock news. Tonight, the city council has approved "
    "a new plan for the old harbour district, with two thousand homes and a park along the "
    "water. Work is expected to begin early next spring.",
    "Across the region tomorrow it will stay mostly dry, with sunny spells in the east and a "
    "few showers drifting in from the coast later in the day. Temperatures will reach around "
    "fourteen degrees, feeling cooler in the wind.",
    "Now, to make the sauce, melt a knob of butter in a pan over a gentle heat. Add the "
    "flour and stir for about a minute, then slowly pour in the warm milk, whisking all the "
    "time so that no lumps can form.",
    "And it is a wonderful goal from the young striker, curling the ball into the top corner "
    "from just outside the box. The visitors are stunned, and with ten minutes left to play "
    "the home side are now two goals ahead.",
    "Deep in the forest, the young fox leaves its den for the very first time. Everything is "
    "new: the smell of the damp leaves, the sound of the river, and the long shadows of the "
    "trees as the evening light begins to fade.",
    "Tired of cold floors in the morning? Our heated tiles warm up in minutes and cost less to "
    "run than you might think. Call today for a free quote, and ask about our winter offer.",
    "My guest tonight has written eleven novels, sailed around the world twice, and still "
    "finds time to grow her own vegetables. Please give a very warm welcome to our next guest.",
    "Scientists say the comet will be visible to the naked eye for about a week. The best "
    "time to look is just before sunrise, low in the eastern sky, away from street lights.",
    "The detective turned off the lamp and waited in the dark. Somewhere below, a door "
    "creaked open, and slow footsteps began to climb the stairs towards the office.",
    "Traffic is heavy on the ring road this morning after a minor accident near the bridge. "
    "Drivers should allow an extra twenty minutes, and the northbound lane remains closed.",
    "Set your oven to two hundred degrees and bake the bread for half an hour, until the crust "
    "is golden and the loaf sounds hollow when you tap it underneath.",
    "In the final round, the champion needs just one more point. The crowd goes quiet, she "
    "serves, and the ball clips the net before dropping on the other side. Game, set and match.",
    "The museum opens its doors again this weekend after a long restoration. Visitors can see "
    "the painted ceiling up close for the first time in forty years.",
    "Stay with us after the break, when we will be looking at how to save money on your "
    "energy bills this winter, and our gardening expert answers your questions about roses.",
]
