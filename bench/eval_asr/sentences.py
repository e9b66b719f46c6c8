"""The fixed texts of the TTS evaluation set (make_tts_set.py speaks them).

COMMANDS: smart-home commands, 2-6 s when spoken at 150-175 words per minute.
LONG: longer read sentences (10-20 s) for dictation-style accuracy.
Numbers are written as words here; the Whisper normaliser turns both the reference and the
hypothesis into digits, so "twenty one" and "21" score the same.
"""

COMMANDS = [
    "turn on the kitchen lights",
    "switch off the lamp in the living room",
    "set the thermostat to twenty one degrees",
    "dim the bedroom lights to forty percent",
    "lock the front door",
    "is the garage door closed",
    "set a timer for ten minutes",
    "cancel the pasta timer",
    "what is the weather like tomorrow morning",
    "play some jazz in the kitchen",
    "turn the volume down a little",
    "pause the music",
    "skip to the next song",
    "wake me up at seven thirty tomorrow",
    "remind me to water the plants this evening",
    "add milk and eggs to the shopping list",
    "open the blinds in the office",
    "close all the curtains downstairs",
    "start the robot vacuum in the hallway",
    "turn off every light in the house",
    "what time is it in london",
    "make the hallway light warmer",
    "set the heating to eco mode until six",
    "how much battery does the car have left",
    "show the front door camera on the television",
    "turn on the fan in the bathroom for fifteen minutes",
    "call mom on speaker",
    "read me the news headlines",
    "arm the alarm system, we are leaving",
    "what is on my calendar for friday afternoon",
]

LONG = [
    "the weather service expects heavy rain across the northern valleys tonight, so drivers "
    "should leave early and keep a safe distance on the mountain roads",
    "after the meeting we walked down to the harbour, where the fishing boats were coming in "
    "and the gulls were fighting over whatever the crews threw back into the water",
    "please remember that the library closes at five on saturdays and that any books you "
    "borrowed last month are due back before the end of the week",
    "she opened the old wooden box and found a bundle of letters, a silver ring and a "
    "photograph of a house that none of us had ever seen before",
    "the new train line will connect the airport with the city centre in under twenty minutes "
    "and is expected to carry more than forty thousand passengers a day",
    "if the bread has not risen after an hour, move the bowl to a warmer place and give it "
    "another thirty minutes before you shape the loaves",
    "our neighbours have planted apple trees along the fence, and every autumn they leave a "
    "basket of fruit on the wall for anyone who walks past",
    "the museum is showing a collection of maps from the sixteenth century, drawn by sailors "
    "who had only the stars and a simple compass to guide them",
    "when the power came back on, the children cheered, the fridge began to hum and the radio "
    "carried on with the song it had been playing before the storm",
    "the doctor asked him to rest for two weeks, drink plenty of water and come back if the "
    "pain in his knee got any worse",
]
