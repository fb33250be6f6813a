"""Passwords for members' packs: short common words that are easy to read out on the phone
and type on a tablet, chosen with the operating system's secure random source.

Five words of at most five letters and two digits: about 46 bits, and at most 31 characters,
because some PDF readers (poppler's, so many Linux viewers) read only the first 32 bytes of an
AES-256 PDF's password. Far beyond guessing by hand; with a pack that is useless after the
meeting, a fair balance for a password that is read out. Each pack gets its own.
"""

from __future__ import annotations

import secrets

WORDS = tuple(
    """
    acorn actor adult agent alarm album alley amber angel anvil apple apron arrow aspen atlas
    attic bacon badge baker banjo basil beach beard bench berry bison blade blaze bloom board
    boat bonus booth brass bread brick broom brush cabin cable camel candy canoe cargo cedar
    chair chalk charm chess chick chili choir cider cliff clock cloud clown coach cobra cocoa
    coral couch crane crate cream crown crumb daisy dance delta depot diary disco diver dough
    dream drill drum eagle easel elbow elder ember fable fairy feast fence ferry field finch
    flame flask fleet flute foam forge fox frost fruit gecko ghost giant glass globe glove goose
    grape grass gravy guest guide hazel heart hedge heron honey horse hotel igloo index inlet
    iris ivory jelly jewel judge juice kayak kiosk kite koala label lace ladle lake lemon lever
    lilac linen llama lodge lotus lunar magic mango maple marsh medal melon metal mint moose
    moss motor mouse mural music nest noble north novel oasis ocean olive onion opera orbit
    otter owl oxide paint panda paper patch peach pearl pedal penny piano pilot pine pizza plank
    plaza plum polar pond poppy porch prism pulse quail queen quest quilt radar radio raven reef
    ridge river robin rock rover ruby salad salt sand satin scarf scout shell shore silk skate
    slate sloth smile snail solar spice spoon spray squid stamp steam stone storm straw sugar
    sunny swan syrup table tango teddy thorn tiger toast topaz torch tower train tulip tuna twig
    ultra unity valve vapor vault venus villa vinyl viola wafer wagon waltz water whale wheat
    wheel wind wolf wren yacht yeast yodel zebra zesty
    """.split()
)


def new_password(words: int = 5) -> str:
    """'maple-otter-cedar-river-tulip-47'."""
    chosen = [secrets.choice(WORDS) for _ in range(words)]
    return "-".join([*chosen, f"{secrets.randbelow(90) + 10}"])
