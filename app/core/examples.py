"""The project's example sentences, stated once: the page's first review, the API's example,
the showcase the model card measures, and the tests'."""

CEREAL = ("Amazing! This box of cereal gave me a perfectly balanced breakfast, as all things should "
          "be. In fact, I will definitely be buying this again.")
DRY_BUT = ("The first half of the movie is dry but the second half really picked up the pace. "
           "The lead actor delivered an amazing performance.")
