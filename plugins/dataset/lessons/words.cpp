// Common English words for the character-level lessons.
#include "lesson_dataset.h"

namespace forge::lessons {

const std::vector<std::string>& words() {
  static const std::vector<std::string> kWords = {
      "accommodate", "address",    "airplane",   "airport",    "almond",     "ambulance",
      "apple",       "apricot",    "assessment", "asteroid",   "autumn",     "avocado",
      "backpack",    "baker",      "bakery",     "balcony",    "balloon",    "banana",
      "banjo",       "basement",   "battery",    "bedroom",    "berry",      "bicycle",
      "birthday",    "blueberry",  "bookkeeper", "bread",      "broccoli",   "buffalo",
      "butter",      "cabbage",    "calendar",   "camera",     "canyon",     "carpenter",
      "carrot",      "ceiling",    "celery",     "cello",      "charger",    "cheese",
      "cheetah",     "cherry",     "chimney",    "clarinet",   "coconut",    "coffee",
      "comet",       "committee",  "computer",   "cookie",     "courage",    "crayon",
      "crimson",     "dancer",     "desert",     "doctor",     "dolphin",    "doorway",
      "drummer",     "eclipse",    "elephant",   "embarrass",  "emerald",    "envelope",
      "eraser",      "evening",    "factory",    "falcon",     "farmer",     "flamingo",
      "flute",       "forest",     "freedom",    "galaxy",     "garage",     "garden",
      "garlic",      "ginger",     "giraffe",    "glacier",    "golden",     "gorilla",
      "grape",       "gravity",    "guitar",     "hallway",    "hamster",    "happiness",
      "harbor",      "harmonica",  "helicopter", "holiday",    "honey",      "horizon",
      "hospital",    "island",     "kangaroo",   "keyboard",   "kindness",   "kitchen",
      "kiwi",        "laptop",     "lemon",      "leopard",    "lettuce",    "library",
      "lightning",   "lime",       "magenta",    "mango",      "marker",     "market",
      "meadow",      "melon",      "meteor",     "midnight",   "millennium", "mississippi",
      "monitor",     "morning",    "mountain",   "muffin",     "museum",     "mystery",
      "nebula",      "necessary",  "notebook",   "occurrence", "ocean",      "octopus",
      "onion",       "orange",     "orbit",      "ostrich",    "painter",    "pancake",
      "papaya",      "parallel",   "parrot",     "pasta",      "patience",   "peach",
      "peacock",     "peanut",     "pear",       "pelican",    "pencil",     "penguin",
      "pepper",      "piano",      "pilot",      "pizza",      "planet",     "plum",
      "plumber",     "possession", "potato",     "printer",    "pumpkin",    "purple",
      "rabbit",      "raccoon",    "radish",     "raspberry",  "recommend",  "river",
      "rocket",      "ruler",      "sailboat",   "sailor",     "salad",      "saxophone",
      "scarlet",     "scissors",   "scooter",    "silence",    "silver",     "singer",
      "soup",        "sparrow",    "speaker",    "spinach",    "spring",     "squirrel",
      "stadium",     "staircase",  "stapler",    "station",    "strawberry", "subway",
      "success",     "sugar",      "summer",     "sunrise",    "tablet",     "taxi",
      "teacher",     "theater",    "thunder",    "tomato",     "tomorrow",   "tortoise",
      "tractor",     "train",      "trumpet",    "turnip",     "turquoise",  "valley",
      "violet",      "violin",     "volcano",    "waffle",     "walnut",     "weekend",
      "window",      "winter",     "wisdom",     "writer",     "yellow",
  };
  return kWords;
}

}  // namespace forge::lessons
