/* earshot: on-device listening, wake word, transcription and intents. The C ABI.
 *
 *   earshot_pipeline_config cfg;
 *   earshot_pipeline_config_default(&cfg);
 *   cfg.models_dir = "/usr/share/earshot/models";
 *   cfg.keywords = "hey_jarvis";
 *   earshot_pipeline* p = NULL;
 *   if (earshot_pipeline_create(&cfg, &p) != EARSHOT_OK) {
 *     fprintf(stderr, "%s\n", earshot_last_error());
 *   }
 *   earshot_pipeline_set_event_callback(p, on_event, user);
 *   earshot_pipeline_start(p);              // a pipeline thread does the work
 *   ... earshot_pipeline_push(p, pcm, n);   // from the audio callback: never blocks
 *   earshot_pipeline_finish(p);             // end of input: the open command is closed
 *   earshot_pipeline_destroy(&p);           // p is NULL afterwards
 *
 * Audio is 16 kHz mono signed 16-bit. States: idle (tier 0: fixed-point VAD only) ->
 * listening (tier 1: wake word, after replaying about 1 s of pre-roll) -> capturing (tier 2:
 * streaming speech recognition from shortly before the wake detection) -> understanding
 * (intent and slots) -> idle. docs/pipeline.md has the state diagram and the event list.
 *
 * Errors: every function that can fail returns an earshot_status; EARSHOT_OK is 0. The
 * message of the calling thread's last failure is earshot_last_error(). The library never
 * exits, aborts or prints; it logs only through the callback set with earshot_set_log_callback.
 *
 * Threads: one thread pushes (earshot_pipeline_push is single-producer, lock-free and
 * allocation-free, safe in a real-time audio callback). The work runs either on the
 * pipeline's own thread (earshot_pipeline_start) or in the host's calls to
 * earshot_pipeline_step; events are delivered on that thread. Every other call on a
 * pipeline must come from one thread at a time (the host's control thread).
 *
 * Ownership: the library copies what it keeps from configs (strings, model blobs). Pointers
 * inside an earshot_event are valid only during the callback, or until the next
 * earshot_pipeline_poll_event on that pipeline.
 */
#ifndef EARSHOT_EARSHOT_H
#define EARSHOT_EARSHOT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define EARSHOT_API __attribute__((visibility("default")))
#else
#define EARSHOT_API
#endif

typedef enum earshot_status {
  EARSHOT_OK = 0,
  EARSHOT_E_INVALID_ARGUMENT = 1, /* a NULL pointer, a value out of range */
  EARSHOT_E_NOT_FOUND = 2,        /* a model, device or file that does not exist */
  EARSHOT_E_IO = 3,
  EARSHOT_E_UNSUPPORTED = 4,      /* e.g. a model of another stage */
  EARSHOT_E_CORRUPT_DATA = 5,     /* a damaged or hostile model or audio file */
  EARSHOT_E_DEVICE = 6,           /* an audio device failed or vanished */
  EARSHOT_E_RESOURCE_EXHAUSTED = 7,
  EARSHOT_E_INTERNAL = 8,
  EARSHOT_E_BAD_STATE = 9,        /* a call out of order (push after finish, start twice) */
  EARSHOT_E_OVERRUN = 10          /* push: some samples did not fit and were dropped */
} earshot_status;

typedef enum earshot_state {
  EARSHOT_STATE_IDLE = 0,
  EARSHOT_STATE_LISTENING = 1,
  EARSHOT_STATE_CAPTURING = 2,
  EARSHOT_STATE_UNDERSTANDING = 3,
  EARSHOT_STATE_FOLLOW_UP = 4
} earshot_state;

typedef enum earshot_event_type {
  EARSHOT_EVENT_STATE = 0,        /* state, previous */
  EARSHOT_EVENT_WAKE = 1,         /* keyword, score */
  EARSHOT_EVENT_SPEECH_START = 2, /* tier 0 heard voice begin (at start_sample) */
  EARSHOT_EVENT_SPEECH_END = 3,   /* and end (at end_sample) */
  EARSHOT_EVENT_PARTIAL = 4,      /* text: the command so far */
  EARSHOT_EVENT_FINAL = 5,        /* text; start_sample, end_sample of the command */
  EARSHOT_EVENT_INTENT = 6,       /* intent, slots, text, confidence, latency_ns */
  EARSHOT_EVENT_TIMEOUT = 7,      /* reason: "no_speech", "max_command", "end_of_input" */
  EARSHOT_EVENT_OVERRUN = 8,      /* count: samples dropped */
  EARSHOT_EVENT_ERROR = 9         /* message; the pipeline went back to idle and goes on */
} earshot_event_type;

typedef struct earshot_slot {
  const char* name;  /* Home Assistant's slot name: "name", "area", "brightness", ... */
  const char* value; /* as text; numbers written out ("21", "0.5") */
  int is_number;
} earshot_slot;

typedef struct earshot_event {
  earshot_event_type type;
  int64_t sample; /* stream time the event was decided: samples at 16 kHz since the first
                     pushed; never goes backwards */
  double time;    /* the same in seconds */
  earshot_state state, previous;
  const char* keyword; /* never NULL: "" when the type has none (same for every string) */
  float score;
  const char* text;
  int64_t start_sample, end_sample;
  const char* intent;
  const earshot_slot* slots;
  size_t slot_count;
  float confidence;
  int64_t latency_ns; /* intent: compute time from the endpoint to this event */
  const char* reason;
  const char* message;
  uint64_t count;
  const char* json; /* the whole event as one line of JSON (the CLI's format), no newline */
} earshot_event;

typedef void (*earshot_event_callback)(const earshot_event* event, void* user);

typedef enum earshot_log_level {
  EARSHOT_LOG_DEBUG = 0,
  EARSHOT_LOG_INFO = 1,
  EARSHOT_LOG_WARNING = 2,
  EARSHOT_LOG_ERROR = 3
} earshot_log_level;
typedef void (*earshot_log_callback)(earshot_log_level level, const char* message, void* user);

/* A model file the host holds in memory; `file_name` is the name it stands for. */
typedef struct earshot_model_blob {
  const char* file_name; /* e.g. "kws-hey_jarvis.esm", "whisper-tiny.en.int8.esm" */
  const void* data;
  size_t size;
} earshot_model_blob;

/* Fill with earshot_pipeline_config_default(); fields added later get defaults there. */
typedef struct earshot_pipeline_config {
  const char* models_dir;            /* folder of .esm model files; NULL: only blobs */
  const earshot_model_blob* models;  /* optional, looked up before models_dir */
  size_t model_count;
  int models_from_environment; /* 1: models_dir NULL means $EARSHOT_MODELS, else
                                  $EARSHOT_CACHE/models, else ~/.cache/earshot/models */
  const char* keywords;        /* comma-separated: "hey_jarvis", "alexa,okay_nabu" */
  float sensitivity;           /* (0, 1), higher wakes more easily; < 0: each model's cutoff */
  int refractory_ms;           /* wake words ignored this long after a wake (2000) */
  int preroll_ms;              /* replayed into the wake word when voice starts (1000) */
  int wake_backoff_ms;         /* the command's audio starts this long before the wake (300) */
  int listen_timeout_ms;       /* listening without voice: back to idle (2000) */
  int no_speech_timeout_ms;    /* nothing said after the wake word (4000) */
  int max_command_ms;          /* longest command (15000) */
  int follow_up_ms;            /* > 0: a second command without the wake word (0: off) */
  int gate;                    /* 1: tier 0 gates the wake word (default); 0: every frame */
  int understand;              /* 1: intents (default); 0: the final ends the command */
  int asr_threads;             /* 1 */
  int endpoint_ms;             /* silence that ends the command (700) */
  int partial_interval_ms;     /* new audio between partial transcripts (500) */
  const char* asr_model;       /* "whisper-tiny.en.int8.esm" */
  const char* nlu_model;       /* "nlu-int8.esm" */
  int ring_ms;                 /* push() buffer (4000) */
  int verify_models;           /* 1: check each model's SHA-256 when loading */
} earshot_pipeline_config;

typedef struct earshot_stage_stats {
  const char* name; /* "tier0-vad", "wake-word", "asr", "nlu" */
  int tier;
  const char* engine; /* kernel engine: "q15", "i8", "f32", "ref" */
  uint64_t calls, frames, macs, cpu_ns, state_bytes, weight_bytes;
} earshot_stage_stats;

#define EARSHOT_MAX_STAGES 8
typedef struct earshot_pipeline_stats {
  uint64_t samples;         /* audio processed */
  uint64_t overrun_samples; /* dropped by push */
  uint64_t events_dropped;  /* queued events not polled in time */
  earshot_state state;
  uint64_t state_samples[5]; /* audio processed in each earshot_state */
  uint64_t transitions;
  size_t stage_count;
  earshot_stage_stats stages[EARSHOT_MAX_STAGES];
} earshot_pipeline_stats;

typedef struct earshot_pipeline earshot_pipeline;

EARSHOT_API const char* earshot_version(void);
EARSHOT_API const char* earshot_status_name(earshot_status status);
/* The message of this thread's last failed call ("" if none). Valid until the next call. */
EARSHOT_API const char* earshot_last_error(void);
/* Where the library's log lines go (none by default). Set before creating pipelines. */
EARSHOT_API void earshot_set_log_callback(earshot_log_callback cb, void* user);
EARSHOT_API const char* earshot_state_name(earshot_state state);
EARSHOT_API const char* earshot_event_type_name(earshot_event_type type);

EARSHOT_API earshot_status earshot_pipeline_config_default(earshot_pipeline_config* config);
/* Loads every model and checks the config. On failure *out is NULL. */
EARSHOT_API earshot_status earshot_pipeline_create(const earshot_pipeline_config* config,
                                                   earshot_pipeline** out);
/* Stops the thread if running, frees everything, sets *pipeline to NULL. NULL is a no-op. */
EARSHOT_API void earshot_pipeline_destroy(earshot_pipeline** pipeline);

/* Events go to `cb` on the working thread; without a callback they queue (bounded) for
 * earshot_pipeline_poll_event. Set before start/step. */
EARSHOT_API earshot_status earshot_pipeline_set_event_callback(earshot_pipeline* p,
                                                               earshot_event_callback cb,
                                                               void* user);
/* Producer: copies `count` samples. Lock-free, allocation-free, never blocks. Returns
 * EARSHOT_E_OVERRUN when some did not fit (dropped, counted, an overrun event follows) and
 * EARSHOT_E_BAD_STATE after finish. Sets no error message (that would allocate). */
EARSHOT_API earshot_status earshot_pipeline_push(earshot_pipeline* p, const int16_t* samples,
                                                 size_t count);
/* Hosts without threads: processes everything pushed so far, in this thread. */
EARSHOT_API earshot_status earshot_pipeline_step(earshot_pipeline* p);
/* Starts the pipeline's own thread. */
EARSHOT_API earshot_status earshot_pipeline_start(earshot_pipeline* p);
/* End of input: processes what was pushed, closes the open command (final and intent, or a
 * timeout event), joins the thread. */
EARSHOT_API earshot_status earshot_pipeline_finish(earshot_pipeline* p);
/* Back to idle at stream time 0, ready for new input. Not while the thread runs. */
EARSHOT_API earshot_status earshot_pipeline_reset(earshot_pipeline* p);
/* Reads a source until it ends (files, "-" for raw s16le 16 kHz mono on stdin) or
 * earshot_pipeline_stop is called: "alsa:default", "alsa:hw:1,0", "pa:default", "pa:2", a
 * WAV/FLAC/OGG path (any rate and channel count). `realtime` paces files like a microphone.
 * Processes in the calling thread, then finishes. */
EARSHOT_API earshot_status earshot_pipeline_run_source(earshot_pipeline* p, const char* source,
                                                       int realtime);
/* Asks earshot_pipeline_run_source to return (any thread, async-signal-safe). */
EARSHOT_API void earshot_pipeline_stop(earshot_pipeline* p);
/* 1 and *event filled when a queued event was taken, 0 when none is queued. */
EARSHOT_API int earshot_pipeline_poll_event(earshot_pipeline* p, earshot_event* event);
/* Current state (any thread). */
EARSHOT_API earshot_state earshot_pipeline_state(const earshot_pipeline* p);
/* Input level of the last 10 ms in dBFS (any thread). */
EARSHOT_API float earshot_pipeline_input_level(const earshot_pipeline* p);
/* Counters per stage and per state; exact from the working thread or after finish. */
EARSHOT_API earshot_status earshot_pipeline_get_stats(const earshot_pipeline* p,
                                                      earshot_pipeline_stats* stats);

#ifdef __cplusplus
}
#endif

#endif /* EARSHOT_EARSHOT_H */
