"""Settings of the annotation commands that the CLI shows in `--help` without loading the SDK."""

URL_ENV = "LABEL_STUDIO_URL"
KEY_ENV = "LABEL_STUDIO_API_KEY"
BATCH_SIZE = 1000  # tasks per import request of `annotate push`
