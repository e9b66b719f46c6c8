/* earshot_events: the pipeline's events as JSON Lines, from C.
 *   earshot_events FILE.wav [KEYWORDS]     any WAV/FLAC/OGG, any rate and channel count
 *   earshot_events - [KEYWORDS] < raw      raw s16le 16 kHz mono on stdin
 * Models come from $EARSHOT_MODELS, else $EARSHOT_CACHE/models, else ~/.cache/earshot/models.
 * Build against an installed earshot:
 *   cc earshot_events.c $(pkg-config --cflags --libs earshot) -o earshot_events */
#include <earshot/earshot.h>
#include <stdio.h>

static void on_event(const earshot_event* e, void* user) {
  unsigned long* commands = (unsigned long*)user;
  if (e->type == EARSHOT_EVENT_INTENT) ++*commands;
  printf("%s\n", e->json);
  fflush(stdout);
}

int main(int argc, char** argv) {
  earshot_pipeline_config cfg;
  earshot_pipeline* p = NULL;
  unsigned long commands = 0;
  earshot_status s;

  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: %s FILE|- [KEYWORDS]\n", argv[0]);
    return 2;
  }
  earshot_pipeline_config_default(&cfg);
  cfg.models_from_environment = 1;
  if (argc == 3) cfg.keywords = argv[2];

  s = earshot_pipeline_create(&cfg, &p);
  if (s != EARSHOT_OK) {
    fprintf(stderr, "earshot_events: %s: %s\n", earshot_status_name(s), earshot_last_error());
    return 1;
  }
  s = earshot_pipeline_set_event_callback(p, on_event, &commands);
  if (s == EARSHOT_OK) s = earshot_pipeline_run_source(p, argv[1], 0);
  if (s != EARSHOT_OK) {
    fprintf(stderr, "earshot_events: %s: %s: %s\n", argv[1], earshot_status_name(s),
            earshot_last_error());
  } else {
    fprintf(stderr, "earshot_events: %lu command(s) understood\n", commands);
  }
  earshot_pipeline_destroy(&p);
  return s == EARSHOT_OK ? 0 : 1;
}
