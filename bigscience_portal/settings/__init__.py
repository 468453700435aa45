"""Settings package: ``base`` holds everything, ``local``/``test``/``production`` adjust it."""
