"""监测与考核 models. None yet."""
