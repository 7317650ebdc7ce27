/* loom-generator.c: the queue that drafts scenes with the model
 *
 * A job owns one request. Its scene goes to "generating" in the library before the request is
 * sent, shows the words as they arrive (stored at most once a second), and ends in one
 * transaction: the new prose, or the earlier prose and status back with what had been written
 * kept as a revision. Nothing a writer wrote or paid for is lost, whatever happens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-generator"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-generator.h"
#include "loom-generator-private.h"
#include "loom-prompt.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-budget.h"
#include "loom-context-budget.h"

/* Streamed prose is written to the library once a second while it arrives. Each write costs
 * in proportion to the prose's length, so past FLUSH_BYTES_PER_SECOND the wait grows with the
 * text: the writes then cost a constant share of the time, and a long answer costs time in
 * proportion to its length rather than its square. A scene of 10,000 words still waits about
 * a second. */
#define FLUSH_INTERVAL_US G_USEC_PER_SEC
#define FLUSH_BYTES_PER_SECOND (64 * 1024)

/* The scene length the prompt asks for (LoomPromptOptions' default), for the estimates when
 * the writer set no maximum length. */
#define SCENE_ANSWER_WORDS 1000

typedef struct
{
  LoomGenerator   *generator;     /* a reference while running, so a request always has
                                   * somewhere to report to */
  LoomScene       *scene;
  /* The scene points at these without owning them; held so that they outlive a deletion
   * elsewhere while the scene is drafted, when the draft still needs a place to go. */
  LoomChapter     *chapter;
  LoomStory       *story;
  GCancellable    *cancellable;
  GString         *text;
  char            *before_prose;
  LoomSceneStatus  before_status;
  char            *model;
  GArray          *inputs;        /* what the prompt was built from (LoomSceneInput) */
  gint64           generation_id;
  double           estimate;      /* US dollars while running, < 0 when the price is unknown */
  guint            batch;         /* 0, or the Generate Chapter/Story request it belongs to */
  gint64           last_flush;
  gint64           first_token_at;
  gboolean         running;
} Job;

/* A request other than a draft (a summary, an outline, a revision) under way. */
typedef struct
{
  gint64     generation_id;
  LoomStory *story;
  double     estimate;      /* US dollars, < 0 when the price is unknown */
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->story);
  g_free (request);
}

struct _LoomGenerator
{
  GObject       parent_instance;

  LoomStore    *store;
  LoomAiClient *client;
  guint         max_jobs;
  double        temperature;  /* < 0: the server's default */
  int           max_tokens;   /* 0: the model's limit */
  gboolean      parallel_batches;
  guint         last_batch;
  GQueue        queue;    /* of Job, waiting */
  GPtrArray    *running;  /* of Job */
  GPtrArray    *requests; /* of Request */
  guint         pump_id;  /* the next start, due in a later turn of the main loop */
};

G_DEFINE_FINAL_TYPE (LoomGenerator, loom_generator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLIENT,
  PROP_MAX_JOBS,
  PROP_TEMPERATURE,
  PROP_MAX_TOKENS,
  PROP_PARALLEL_BATCHES,
  PROP_N_RUNNING,
  PROP_N_QUEUED,
  PROP_BUSY,
  N_PROPS
};

enum {
  SCENE_STARTED,
  SCENE_RETRYING,
  SCENE_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void pump (LoomGenerator *self);

static Job *
job_new (LoomGenerator *self,
         LoomScene     *scene,
         guint          batch)
{
  Job *job = g_new0 (Job, 1);

  job->generator = self;
  job->batch = batch;
  job->scene = g_object_ref (scene);
  job->chapter = g_object_ref (loom_scene_get_chapter (scene));
  job->story = g_object_ref (loom_chapter_get_story (job->chapter));
  job->cancellable = g_cancellable_new ();
  job->text = g_string_new (NULL);
  return job;
}

static void
job_free (Job *job)
{
  if (job->running)
    g_object_unref (job->generator);
  g_clear_object (&job->scene);
  g_clear_object (&job->chapter);
  g_clear_object (&job->story);
  g_clear_object (&job->cancellable);
  g_string_free (job->text, TRUE);
  g_free (job->before_prose);
  g_free (job->model);
  g_clear_pointer (&job->inputs, g_array_unref);
  g_free (job);
}

static void
notify_counts (LoomGenerator *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_QUEUED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Reports the end of a job and starts the next one. @error NULL means the scene completed. */
static void
job_done (Job          *job,
          const GError *error)
{
  LoomGenerator *self = job->generator;

  g_ptr_array_remove (self->running, job);
  g_signal_emit (self, signals[SCENE_FINISHED], 0, job->scene, error);
  pump (self);
  notify_counts (self);
  job_free (job);
}

static gint64
flush_interval (gsize length)
{
  return MAX (FLUSH_INTERVAL_US, (gint64) length * G_USEC_PER_SEC / FLUSH_BYTES_PER_SECOND);
}

static void
on_delta (const char *delta,
          gpointer    user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_monotonic_time ();

  if (job->first_token_at == 0)
    job->first_token_at = g_get_real_time () / 1000;

  g_string_append (job->text, delta);
  loom_scene_stream_append (job->scene, delta, -1);

  if (now - job->last_flush >= flush_interval (job->text->len))
    {
      job->last_flush = now;
      if (!loom_store_flush_prose (job->generator->store, job->scene, &error))
        g_debug ("Could not store the prose as it arrives: %s", error->message);
    }
}

/* The scene was deleted by another program while it was being drafted: what the model wrote
 * (and what it cost) must not go with it. The draft becomes a new scene, as typed text does;
 * the error says where, in a sentence for the writer. */
static GError *
keep_draft_of_deleted (Job        *job,
                       const char *draft)
{
  LoomStore *store = job->generator->store;
  LoomChapter *chapter = loom_scene_get_chapter (job->scene);
  guint chapter_number = chapter ? loom_chapter_get_number (chapter) : 0;
  guint scene_number = loom_scene_get_number (job->scene);
  g_autoptr(GError) error = NULL;
  LoomScene *kept;

  /* Catch up first, so that the draft goes where the library still has a place for it. (The
   * request's row went to the trash with the scene.) */
  if (!loom_store_refresh (store, NULL, &error))
    {
      g_debug ("%s", error->message);
      g_clear_error (&error);
    }
  if (draft == NULL || *draft == '\0')
    return g_error_new (LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND,
                        /* TRANSLATORS: %u and %u are the chapter's and the scene's numbers */
                        _("Chapter %u · Scene %u was deleted by another program while it was "
                          "being drafted."), chapter_number, scene_number);

  kept = loom_store_recover_scene (store, job->scene, draft, &error);
  if (kept == NULL)
    return g_error_new (LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND,
                        /* TRANSLATORS: %u and %u are the chapter's and the scene's numbers;
                         * then why the draft could not be kept */
                        _("Chapter %u · Scene %u was deleted by another program while it was "
                          "being drafted, and the draft could not be kept: %s"),
                        chapter_number, scene_number, error->message);
  return g_error_new (LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND,
                      /* TRANSLATORS: %u and %u are the chapter's and the scene's numbers, then
                       * those of the new scene that holds the draft */
                      _("Chapter %u · Scene %u was deleted by another program while it was "
                        "being drafted. The draft is kept as Chapter %u · Scene %u."),
                      chapter_number, scene_number,
                      loom_chapter_get_number (loom_scene_get_chapter (kept)),
                      loom_scene_get_number (kept));
}

/* @answer's usage into @end; unknown (-1) when there is no answer. */
void
_loom_generator_end_set_usage (LoomGenerationEnd  *end,
                               const LoomAiResult *answer)
{
  end->prompt_tokens = answer != NULL ? answer->prompt_tokens : -1;
  end->completion_tokens = answer != NULL ? answer->completion_tokens : -1;
  end->cost = answer != NULL ? answer->cost : -1;
}

/* Records how a request that writes no scene ended (an outline, characters, a summary, a
 * revision): @end's usage and @error's outcome. Not recording it costs the writer nothing
 * more than a missing row, so it is only logged. */
void
_loom_generator_finish_request (LoomGenerator     *self,
                                gint64             generation_id,
                                LoomGenerationEnd *end,
                                const GError      *error)
{
  g_autoptr(GError) record_error = NULL;

  for (guint i = 0; i < self->requests->len; i++)
    if (((Request *) g_ptr_array_index (self->requests, i))->generation_id == generation_id)
      {
        g_ptr_array_remove_index_fast (self->requests, i);
        break;
      }

  end->outcome = error == NULL ? LOOM_GENERATION_COMPLETE
                 : g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                     ? LOOM_GENERATION_CANCELLED : LOOM_GENERATION_ERROR;
  end->error_message = error ? error->message : NULL;
  if (!loom_store_finish_request (self->store, generation_id, end, &record_error))
    g_debug ("Could not record the request: %s", record_error->message);
  end->error_message = NULL;
}

static void
on_chat_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(LoomAiResult) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  LoomGenerationEnd end = {
    .first_token_at = job->first_token_at, .model = job->model, .inputs = job->inputs,
  };

  answer = loom_ai_client_chat_finish (LOOM_AI_CLIENT (source), result, &error);

  if (answer != NULL && (answer->text == NULL || *g_strstrip (answer->text) == '\0'))
    g_set_error_literal (&error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE,
                         _("The model answered without any prose. Try again, or choose another "
                           "model."));

  _loom_generator_end_set_usage (&end, answer);

  if (error == NULL)
    {
      end.outcome = LOOM_GENERATION_COMPLETE;
      end.prose = answer->text;
    }
  else
    {
      gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      end.outcome = cancelled ? LOOM_GENERATION_CANCELLED : LOOM_GENERATION_ERROR;
      end.prose = job->before_prose;
      end.partial = job->text->str;
      end.status = cancelled ? job->before_status : LOOM_SCENE_STATUS_ERROR;
      end.error_message = error->message;
    }

  if (!loom_store_end_generation (job->generator->store, job->scene, job->generation_id, &end,
                                  &store_error))
    {
      if (g_error_matches (store_error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND))
        {
          g_autoptr(GError) kept_error = NULL;

          kept_error = keep_draft_of_deleted (job, error == NULL ? end.prose : job->text->str);
          job_done (job, kept_error);
          return;
        }
      /* The library refused the result (disk full, locked): the scene is left generating and
       * the next open recovers it; the writer learns why now. */
      g_debug ("Could not store the generated prose: %s", store_error->message);
      job_done (job, store_error);
      return;
    }

  job_done (job, error);
}

static void
job_fail_early (Job          *job,
                const GError *error)
{
  g_autoptr(GError) status_error = NULL;

  /* Nothing was sent: the scene shows why, and keeps its prose. */
  if (!loom_scene_set_status (job->scene, LOOM_SCENE_STATUS_ERROR, error->message, &status_error))
    g_debug ("%s", status_error->message);
  job_done (job, error);
}

/* The expected answer of a scene, in tokens: what estimates and the limits' check price. */
static gint64
scene_answer_tokens (LoomGenerator *self)
{
  return loom_estimate_answer_tokens (SCENE_ANSWER_WORDS, self->max_tokens);
}

/* The waiting scenes of @batch leave the queue, as if stopped. */
static void
drop_batch (LoomGenerator *self,
            guint          batch)
{
  g_autoptr(GPtrArray) scenes = g_ptr_array_new_with_free_func (g_object_unref);

  if (batch == 0)
    return;
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    if (((Job *) l->data)->batch == batch)
      g_ptr_array_add (scenes, g_object_ref (((Job *) l->data)->scene));
  for (guint i = 0; i < scenes->len; i++)
    loom_generator_cancel_scene (self, g_ptr_array_index (scenes, i));
}

static void
job_start (Job *job)
{
  LoomGenerator *self = job->generator;
  LoomAiChatOptions options = LOOM_AI_CHAT_OPTIONS_INIT;
  g_autoptr(LoomPrompt) prompt = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (self->running, job);
  job->running = TRUE;
  g_object_ref (self);
  loom_scene_set_queued (job->scene, FALSE);

  /* The prose before is what a cancelled regeneration puts back: it must be the real one. */
  if (!loom_ai_client_check (self->client, &error) ||
      !loom_scene_load_prose (job->scene, &error) ||
      (prompt = loom_generator_new_prompt (self, job->scene, &error)) == NULL)
    {
      job_fail_early (job, error);
      return;
    }

  /* Checked as each scene starts, never while it runs: a running generation is not cut off,
   * the next one is refused, and with it the rest of its batch. */
  if (!loom_generator_check_budget (self, job->story, loom_prompt_get_token_estimate (prompt),
                                    scene_answer_tokens (self), &job->estimate, &error))
    {
      drop_batch (self, job->batch);
      job_fail_early (job, error);
      return;
    }

  job->before_status = loom_scene_get_status (job->scene);
  job->before_prose = g_strdup (loom_scene_get_prose (job->scene));
  if (loom_prompt_get_inputs (prompt) != NULL)
    job->inputs = g_array_ref (loom_prompt_get_inputs (prompt));
  job->model = g_strdup (loom_ai_client_get_model (self->client));
  job->generation_id = loom_store_begin_generation (self->store, job->scene, job->model,
                                                    loom_prompt_get_fingerprint (prompt),
                                                    &error);
  if (job->generation_id == 0)
    {
      job_done (job, error);
      return;
    }

  options.temperature = self->temperature;
  options.max_tokens = self->max_tokens;
  job->last_flush = g_get_monotonic_time ();
  loom_scene_stream_prose (job->scene, NULL);
  g_signal_emit (self, signals[SCENE_STARTED], 0, job->scene);

  loom_ai_client_chat_async (self->client, loom_prompt_get_messages (prompt), &options,
                             on_delta, job, job->cancellable, on_chat_done, job);
}

static gboolean
batch_running (LoomGenerator *self,
               guint          batch)
{
  for (guint i = 0; i < self->running->len; i++)
    if (((Job *) g_ptr_array_index (self->running, i))->batch == batch)
      return TRUE;
  return FALSE;
}

/* The first waiting job that may start: a scene of a batch waits until the scene before it
 * has finished, so that its prompt carries how that scene ends. The queue keeps each batch
 * in story order, so the first waiting job of a batch is the next scene. */
static GList *
next_startable (LoomGenerator *self)
{
  g_autoptr(GArray) held = g_array_new (FALSE, FALSE, sizeof (guint));

  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      Job *job = l->data;
      gboolean seen = FALSE;

      if (job->batch == 0)
        return l;
      for (guint i = 0; i < held->len && !seen; i++)
        seen = g_array_index (held, guint, i) == job->batch;
      if (!seen && !batch_running (self, job->batch))
        return l;
      if (!seen)
        g_array_append_val (held, job->batch);
    }
  return NULL;
}

/* Starts the first waiting job that may start, when a place is free. */
static gboolean
start_next (LoomGenerator *self)
{
  GList *link;
  Job *job;

  if (self->running->len >= self->max_jobs || (link = next_startable (self)) == NULL)
    return FALSE;

  job = link->data;
  g_queue_delete_link (&self->queue, link);
  job_start (job);
  return TRUE;
}

static gboolean pump_cb (gpointer user_data);

/* Starts one job now and each further one in a later turn of the main loop. A start builds
 * the prompt and writes to the library (1–3 ms): Generate Story started eight in one turn, a
 * frame's time and more with no frame. The later starts wait below the frame clock, so the
 * window paints between them. */
static void
pump (LoomGenerator *self)
{
  if (self->pump_id != 0 || !start_next (self))
    return;
  /* A start that failed at once has already started the next one through job_done (). */
  if (self->pump_id == 0 && self->running->len < self->max_jobs && next_startable (self) != NULL)
    self->pump_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, pump_cb, self, NULL);
}

static gboolean
pump_cb (gpointer user_data)
{
  LoomGenerator *self = user_data;

  self->pump_id = 0;
  pump (self);
  notify_counts (self);
  return G_SOURCE_REMOVE;
}

static Job *
find_job (LoomGenerator *self,
          LoomScene     *scene,
          gboolean      *running)
{
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      Job *job = l->data;

      if (job->scene == scene)
        {
          *running = FALSE;
          return job;
        }
    }
  for (guint i = 0; i < self->running->len; i++)
    {
      Job *job = g_ptr_array_index (self->running, i);

      if (job->scene == scene)
        {
          *running = TRUE;
          return job;
        }
    }
  return NULL;
}

gboolean
loom_generator_is_scene_pending (LoomGenerator *self,
                                 LoomScene     *scene)
{
  gboolean running;

  g_return_val_if_fail (LOOM_IS_GENERATOR (self), FALSE);
  return find_job (self, scene, &running) != NULL;
}

static gboolean
enqueue (LoomGenerator  *self,
         LoomScene      *scene,
         guint           batch,
         GError        **error)
{
  gboolean running;

  if (find_job (self, scene, &running) != NULL ||
      loom_scene_get_status (scene) == LOOM_SCENE_STATUS_GENERATING)
    {
      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                   _("Scene %u is already being generated."), loom_scene_get_number (scene));
      return FALSE;
    }
  loom_scene_set_queued (scene, TRUE);
  g_queue_push_tail (&self->queue, job_new (self, scene, batch));
  return TRUE;
}

/**
 * loom_generator_generate_scene:
 *
 * Queues @scene. Fails at once, before anything is queued, when no request could be sent
 * (no API key, an address that is not allowed) or when the scene is already queued.
 */
gboolean
loom_generator_generate_scene (LoomGenerator  *self,
                               LoomScene      *scene,
                               GError        **error)
{
  g_return_val_if_fail (LOOM_IS_GENERATOR (self), FALSE);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), FALSE);

  if (!loom_ai_client_check (self->client, error) || !enqueue (self, scene, 0, error))
    return FALSE;
  pump (self);
  notify_counts (self);
  return TRUE;
}

/* Whether a batch with @flags drafts @scene; *writers is set when it would but for the writer's
 * own words in it (without %LOOM_GENERATE_OVER_WRITERS). */
static gboolean
wants_generation (LoomGenerator     *self,
                  LoomScene         *scene,
                  LoomGenerateFlags  flags,
                  gboolean          *writers)
{
  LoomSceneStatus status = loom_scene_get_status (scene);

  *writers = FALSE;
  if (status == LOOM_SCENE_STATUS_GENERATING || loom_generator_is_scene_pending (self, scene))
    return FALSE;
  if (loom_scene_get_word_count (scene) == 0)
    return TRUE;
  if (!(flags & LOOM_GENERATE_REGENERATE) && status != LOOM_SCENE_STATUS_ERROR)
    return FALSE;
  if (!(flags & LOOM_GENERATE_OVER_WRITERS) && loom_store_get_writers_words (self->store, scene) > 0)
    {
      *writers = TRUE;
      return FALSE;
    }
  return TRUE;
}

static guint
queue_chapter (LoomGenerator     *self,
               LoomChapter       *chapter,
               LoomGenerateFlags  flags,
               guint              batch)
{
  GListModel *scenes = loom_chapter_get_scenes (chapter);
  guint queued = 0;

  for (guint i = 0; i < g_list_model_get_n_items (scenes); i++)
    {
      g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, i);
      gboolean writers;

      if (wants_generation (self, scene, flags, &writers) && enqueue (self, scene, batch, NULL))
        queued++;
    }
  return queued;
}

/**
 * loom_generator_list_writers_scenes:
 * @chapter: (nullable): one chapter of @story, or %NULL for the whole story
 *
 * The scenes that Generate Chapter or Generate Story with @flags would draft again if they did
 * not hold words the writer typed or edited: a batch skips them unless it is given
 * %LOOM_GENERATE_OVER_WRITERS.
 *
 * Returns: (transfer container) (element-type LoomScene): in story order
 */
GPtrArray *
loom_generator_list_writers_scenes (LoomGenerator     *self,
                                    LoomStory         *story,
                                    LoomChapter       *chapter,
                                    LoomGenerateFlags  flags)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *chapters;

  g_return_val_if_fail (LOOM_IS_GENERATOR (self), NULL);
  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);

  flags &= ~LOOM_GENERATE_OVER_WRITERS;
  chapters = loom_story_get_chapters (story);
  for (guint i = 0; i < g_list_model_get_n_items (chapters); i++)
    {
      g_autoptr(LoomChapter) each = g_list_model_get_item (chapters, i);
      GListModel *scenes;

      if (chapter != NULL && each != chapter)
        continue;
      scenes = loom_chapter_get_scenes (each);
      for (guint j = 0; j < g_list_model_get_n_items (scenes); j++)
        {
          g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, j);
          gboolean writers;

          if (!wants_generation (self, scene, flags, &writers) && writers)
            g_ptr_array_add (found, g_steal_pointer (&scene));
        }
    }
  return g_steal_pointer (&found);
}

/* The scenes of one Generate Chapter or Generate Story are drafted one after the other, unless
 * parallel-batches is set. */
static guint
new_batch (LoomGenerator *self)
{
  if (self->parallel_batches)
    return 0;
  return ++self->last_batch;
}

/**
 * loom_generator_generate_chapter:
 * @flags: which scenes: see #LoomGenerateFlags
 *
 * Queues the chapter's scenes in order: those without prose or in error, or with
 * %LOOM_GENERATE_REGENERATE all of them. Prose the writer typed or edited is never replaced
 * unless @flags has %LOOM_GENERATE_OVER_WRITERS (see loom_generator_list_writers_scenes()).
 * Each starts when the one before it has finished (see #LoomGenerator:parallel-batches).
 *
 * Returns: how many scenes were queued, 0 with @error set when none could be
 */
guint
loom_generator_generate_chapter (LoomGenerator      *self,
                                 LoomChapter        *chapter,
                                 LoomGenerateFlags   flags,
                                 GError            **error)
{
  guint queued;

  g_return_val_if_fail (LOOM_IS_GENERATOR (self), 0);
  g_return_val_if_fail (LOOM_IS_CHAPTER (chapter), 0);

  if (!loom_ai_client_check (self->client, error))
    return 0;
  queued = queue_chapter (self, chapter, flags, new_batch (self));
  pump (self);
  notify_counts (self);
  return queued;
}

guint
loom_generator_generate_story (LoomGenerator      *self,
                               LoomStory          *story,
                               LoomGenerateFlags   flags,
                               GError            **error)
{
  GListModel *chapters;
  guint queued = 0;
  guint batch;

  g_return_val_if_fail (LOOM_IS_GENERATOR (self), 0);
  g_return_val_if_fail (LOOM_IS_STORY (story), 0);

  if (!loom_ai_client_check (self->client, error))
    return 0;
  batch = new_batch (self);
  chapters = loom_story_get_chapters (story);
  for (guint i = 0; i < g_list_model_get_n_items (chapters); i++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, i);
      queued += queue_chapter (self, chapter, flags, batch);
    }
  pump (self);
  notify_counts (self);
  return queued;
}

/**
 * loom_generator_cancel_scene:
 *
 * Stops @scene's job: a waiting one leaves the queue, a running one closes its connection and
 * puts back the scene's earlier prose and status.
 */
void
loom_generator_cancel_scene (LoomGenerator *self,
                             LoomScene     *scene)
{
  g_autoptr(GError) cancelled = NULL;
  gboolean running;
  Job *job;

  g_return_if_fail (LOOM_IS_GENERATOR (self));

  if ((job = find_job (self, scene, &running)) == NULL)
    return;
  if (running)
    {
      g_cancellable_cancel (job->cancellable);
      return;
    }

  g_queue_remove (&self->queue, job);
  loom_scene_set_queued (scene, FALSE);
  cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   _("The generation was stopped."));
  g_signal_emit (self, signals[SCENE_FINISHED], 0, job->scene, cancelled);
  job_free (job);
  notify_counts (self);
}

void
loom_generator_cancel_all (LoomGenerator *self)
{
  g_autoptr(GPtrArray) scenes = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (LOOM_IS_GENERATOR (self));

  /* The waiting ones first, so that no cancelled job starts another. */
  for (GList *l = self->queue.tail; l != NULL; l = l->prev)
    g_ptr_array_add (scenes, g_object_ref (((Job *) l->data)->scene));
  for (guint i = 0; i < self->running->len; i++)
    g_ptr_array_add (scenes, g_object_ref (((Job *) g_ptr_array_index (self->running, i))->scene));
  for (guint i = 0; i < scenes->len; i++)
    loom_generator_cancel_scene (self, g_ptr_array_index (scenes, i));
}

/* What the running scenes and the other requests under way of @story (NULL: of any story)
 * are expected to cost: a summary sent as a draft ends runs beside the next draft. */
static double
pending_cost (LoomGenerator *self,
              LoomStory     *story)
{
  double sum = 0;

  for (guint i = 0; i < self->running->len; i++)
    {
      Job *job = g_ptr_array_index (self->running, i);

      if (story == NULL || job->story == story)
        sum += MAX (job->estimate, 0);
    }
  for (guint i = 0; i < self->requests->len; i++)
    {
      Request *request = g_ptr_array_index (self->requests, i);

      if (story == NULL || request->story == story)
        sum += MAX (request->estimate, 0);
    }
  return sum;
}

void
_loom_generator_hold_request (LoomGenerator *self,
                              LoomStory     *story,
                              gint64         generation_id,
                              double         estimate)
{
  Request *request = g_new0 (Request, 1);

  request->generation_id = generation_id;
  request->story = story != NULL ? g_object_ref (story) : NULL;
  request->estimate = estimate;
  g_ptr_array_add (self->requests, request);
}

/**
 * loom_generator_check_budget:
 * @story: (nullable): the story the request is for
 * @prompt_tokens: the prompt's estimate (loom_prompt_get_token_estimate() and friends)
 * @answer_tokens: the expected answer (loom_estimate_answer_tokens())
 * @estimate: (out) (optional): the request's estimated cost, negative when the price is unknown
 *
 * Whether a request to the client's model may be sent within the story's and the library's
 * spending limits (loom-budget.h), counting the scenes this generator is drafting and its
 * other requests under way (_loom_generator_hold_request ()) as spent.
 * Every request the generator sends passes here first; summaries and other requests made
 * through the generator's client should too.
 *
 * Returns: %FALSE with a sentence in @error (%LOOM_BUDGET_ERROR) when it must not be sent
 */
gboolean
loom_generator_check_budget (LoomGenerator  *self,
                             LoomStory      *story,
                             gint64          prompt_tokens,
                             gint64          answer_tokens,
                             double         *estimate,
                             GError        **error)
{
  LoomEstimate request = LOOM_ESTIMATE_INIT;
  gboolean ok;

  g_return_val_if_fail (LOOM_IS_GENERATOR (self), FALSE);
  g_return_val_if_fail (story == NULL || LOOM_IS_STORY (story), FALSE);

  loom_estimate_add (&request, self->store, self->client, NULL, prompt_tokens, answer_tokens);
  ok = loom_budget_check (self->store, story, &request, pending_cost (self, story),
                          pending_cost (self, NULL), error);
  if (estimate != NULL)
    *estimate = request.cost;
  loom_estimate_clear (&request);
  return ok;
}

static LoomPrompt *
new_prompt (LoomGenerator  *self,
            LoomScene      *scene,
            const char     *previous_prose,
            GError        **error)
{
  LoomPromptOptions options = LOOM_PROMPT_OPTIONS_INIT;

  options.context_budget = loom_context_budget_get (self->store, self->client, NULL);
  options.previous_prose = previous_prose;
  return loom_prompt_new_for_scene (scene, &options, error);
}

/**
 * loom_generator_new_prompt:
 *
 * The prompt drafting @scene sends now, within the library's context budget for the client's
 * model (loom-context-budget.h): what the prompt dialog and `storyloom-cli prompt` show.
 *
 * Returns: (transfer full): the prompt, or %NULL with @error set
 */
LoomPrompt *
loom_generator_new_prompt (LoomGenerator  *self,
                           LoomScene      *scene,
                           GError        **error)
{
  g_return_val_if_fail (LOOM_IS_GENERATOR (self), NULL);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  return new_prompt (self, scene, NULL, error);
}

/* @previous_prose: (nullable): as in #LoomPromptOptions */
static gboolean
estimate_scene (LoomGenerator  *self,
                LoomScene      *scene,
                const char     *previous_prose,
                LoomEstimate   *estimate,
                GError        **error)
{
  g_autoptr(LoomPrompt) prompt = new_prompt (self, scene, previous_prose, error);

  if (prompt == NULL)
    return FALSE;
  loom_estimate_add (estimate, self->store, self->client, NULL,
                     loom_prompt_get_token_estimate (prompt), scene_answer_tokens (self));
  return TRUE;
}

/**
 * loom_generator_estimate_scene:
 *
 * Adds to @estimate what drafting @scene is expected to cost now: its prompt as it would be
 * built, and an answer of the length asked for.
 *
 * Returns: %FALSE with @error set when the prompt could not be built
 */
gboolean
loom_generator_estimate_scene (LoomGenerator  *self,
                               LoomScene      *scene,
                               LoomEstimate   *estimate,
                               GError        **error)
{
  g_return_val_if_fail (LOOM_IS_GENERATOR (self), FALSE);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), FALSE);
  g_return_val_if_fail (estimate != NULL, FALSE);

  return estimate_scene (self, scene, NULL, estimate, error);
}

/* The scenes of a batch in story order, with the same choice of scenes as queue_chapter (). */
static GPtrArray *
batch_scenes (LoomGenerator      *self,
              LoomStory          *story,
              LoomChapter        *chapter,
              LoomGenerateFlags   flags)
{
  GPtrArray *wanted = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *chapters = loom_story_get_chapters (story);

  for (guint i = 0; i < g_list_model_get_n_items (chapters); i++)
    {
      g_autoptr(LoomChapter) each = g_list_model_get_item (chapters, i);
      GListModel *scenes = loom_chapter_get_scenes (each);

      if (chapter != NULL && each != chapter)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (scenes); j++)
        {
          g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, j);
          gboolean writers;

          if (wants_generation (self, scene, flags, &writers))
            g_ptr_array_add (wanted, g_steal_pointer (&scene));
        }
    }
  return wanted;
}

/* Each scene of the batch as its prompt will be sent: in a batch drafted in order, a scene
 * whose previous scene is drafted first quotes how that one will end, an answer of the
 * expected length, not the outline it has now (which would underestimate every later scene).
 *
 * A summary after a draft sends the draft itself. It is sized as the answer every draft is
 * priced at (scene_answer_tokens (): the writer's maximum length, else a scene of
 * SCENE_ANSWER_WORDS), the same stand-in text a later scene's prompt quotes; neither the
 * prose the scene has now nor the model's limit, which would under- or overstate it. */
gboolean
_loom_generator_estimate_batch (LoomGenerator      *self,
                                LoomStory          *story,
                                LoomChapter        *chapter,
                                LoomScene          *scene,
                                LoomGenerateFlags   flags,
                                gboolean            summaries,
                                LoomEstimate       *estimate,
                                GError            **error)
{
  g_autoptr(GPtrArray) scenes = NULL;
  g_autofree char *stand_in = loom_estimate_stand_in_prose (scene_answer_tokens (self));

  if (scene != NULL)
    {
      scenes = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (scenes, g_object_ref (scene));
    }
  else
    scenes = batch_scenes (self, story, chapter, flags);

  for (guint i = 0; i < scenes->len; i++)
    {
      LoomScene *each = g_ptr_array_index (scenes, i);
      g_autoptr(LoomScene) previous = loom_scene_dup_previous (each);
      gboolean drafted_before = i > 0 && !self->parallel_batches &&
                                previous == g_ptr_array_index (scenes, i - 1);

      if (!estimate_scene (self, each, drafted_before ? stand_in : NULL, estimate, error) ||
          (summaries &&
           !_loom_generator_estimate_summary_after (self, each, stand_in, estimate, error)))
        return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */

LoomGenerator *
loom_generator_new (LoomStore    *store,
                    LoomAiClient *client)
{
  g_return_val_if_fail (LOOM_IS_STORE (store), NULL);
  g_return_val_if_fail (LOOM_IS_AI_CLIENT (client), NULL);

  return g_object_new (LOOM_TYPE_GENERATOR, "store", store, "client", client, NULL);
}

LoomStore *
loom_generator_get_store (LoomGenerator *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATOR (self), NULL);
  return self->store;
}

LoomAiClient *
loom_generator_get_client (LoomGenerator *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATOR (self), NULL);
  return self->client;
}

guint
loom_generator_get_max_jobs (LoomGenerator *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATOR (self), 0);
  return self->max_jobs;
}

void
loom_generator_set_max_jobs (LoomGenerator *self,
                             guint          max_jobs)
{
  g_return_if_fail (LOOM_IS_GENERATOR (self));
  g_return_if_fail (max_jobs > 0);

  if (self->max_jobs == max_jobs)
    return;
  self->max_jobs = max_jobs;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_JOBS]);
  pump (self);
  notify_counts (self);
}

gboolean
loom_generator_get_parallel_batches (LoomGenerator *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATOR (self), FALSE);
  return self->parallel_batches;
}

void
loom_generator_set_parallel_batches (LoomGenerator *self,
                                     gboolean       parallel)
{
  g_return_if_fail (LOOM_IS_GENERATOR (self));

  parallel = !!parallel;
  if (self->parallel_batches == parallel)
    return;
  self->parallel_batches = parallel;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARALLEL_BATCHES]);
}

guint
loom_generator_get_n_running (LoomGenerator *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATOR (self), 0);
  return self->running->len;
}

guint
loom_generator_get_n_queued (LoomGenerator *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATOR (self), 0);
  return self->queue.length;
}

gboolean
loom_generator_get_busy (LoomGenerator *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATOR (self), FALSE);
  return self->running->len > 0 || self->queue.length > 0;
}

static void
on_client_retrying (LoomAiClient  *client,
                    GCancellable  *cancellable,
                    guint          delay_ms,
                    const GError  *reason,
                    LoomGenerator *self)
{
  for (guint i = 0; i < self->running->len; i++)
    {
      Job *job = g_ptr_array_index (self->running, i);

      if (job->cancellable == cancellable)
        g_signal_emit (self, signals[SCENE_RETRYING], 0, job->scene, delay_ms, reason);
    }
}

static void
loom_generator_constructed (GObject *object)
{
  LoomGenerator *self = (LoomGenerator *) object;

  G_OBJECT_CLASS (loom_generator_parent_class)->constructed (object);

  g_signal_connect_object (self->client, "retrying", G_CALLBACK (on_client_retrying), self, 0);
}

static void
loom_generator_dispose (GObject *object)
{
  LoomGenerator *self = (LoomGenerator *) object;
  Job *job;

  g_clear_handle_id (&self->pump_id, g_source_remove);
  /* Running jobs hold a reference, so only waiting ones can be left here. */
  while ((job = g_queue_pop_head (&self->queue)) != NULL)
    {
      loom_scene_set_queued (job->scene, FALSE);
      job_free (job);
    }

  G_OBJECT_CLASS (loom_generator_parent_class)->dispose (object);
}

static void
loom_generator_finalize (GObject *object)
{
  LoomGenerator *self = (LoomGenerator *) object;

  g_clear_pointer (&self->running, g_ptr_array_unref);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (loom_generator_parent_class)->finalize (object);
}

static void
loom_generator_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LoomGenerator *self = LOOM_GENERATOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_MAX_JOBS:
      g_value_set_uint (value, self->max_jobs);
      break;
    case PROP_TEMPERATURE:
      g_value_set_double (value, self->temperature);
      break;
    case PROP_MAX_TOKENS:
      g_value_set_int (value, self->max_tokens);
      break;
    case PROP_PARALLEL_BATCHES:
      g_value_set_boolean (value, self->parallel_batches);
      break;
    case PROP_N_RUNNING:
      g_value_set_uint (value, self->running->len);
      break;
    case PROP_N_QUEUED:
      g_value_set_uint (value, self->queue.length);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, loom_generator_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_generator_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LoomGenerator *self = LOOM_GENERATOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_MAX_JOBS:
      loom_generator_set_max_jobs (self, g_value_get_uint (value));
      break;
    case PROP_TEMPERATURE:
      if (self->temperature != g_value_get_double (value))
        {
          self->temperature = g_value_get_double (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_MAX_TOKENS:
      if (self->max_tokens != g_value_get_int (value))
        {
          self->max_tokens = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_PARALLEL_BATCHES:
      loom_generator_set_parallel_batches (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_generator_class_init (LoomGeneratorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = loom_generator_constructed;
  object_class->dispose = loom_generator_dispose;
  object_class->finalize = loom_generator_finalize;
  object_class->get_property = loom_generator_get_property;
  object_class->set_property = loom_generator_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LOOM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, LOOM_TYPE_AI_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_JOBS] =
    g_param_spec_uint ("max-jobs", NULL, NULL, 1, 64, LOOM_GENERATOR_DEFAULT_MAX_JOBS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Sent with every scene request; the settings' values in the window. */
  properties[PROP_TEMPERATURE] =
    g_param_spec_double ("temperature", NULL, NULL, -1.0, 2.0, -1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_TOKENS] =
    g_param_spec_int ("max-tokens", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LoomGenerator:parallel-batches:
   *
   * Whether the scenes of Generate Chapter and Generate Story are drafted at the same time
   * (up to max-jobs), faster but each without the end of the scene before it. Off: in story
   * order, each after the one before has finished. Applies to batches queued afterwards.
   */
  properties[PROP_PARALLEL_BATCHES] =
    g_param_spec_boolean ("parallel-batches", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_RUNNING] = g_param_spec_uint ("n-running", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_QUEUED] = g_param_spec_uint ("n-queued", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LoomGenerator::scene-started:
   *
   * The request for the scene has been sent; its status is now generating.
   */
  signals[SCENE_STARTED] =
    g_signal_new ("scene-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, LOOM_TYPE_SCENE);

  /**
   * LoomGenerator::scene-retrying:
   * @scene: the scene
   * @delay_ms: the wait before the next attempt
   * @reason: why the last attempt failed, such as a rate limit
   *
   * No prose has arrived yet and the request will be tried again: "retrying in N s".
   */
  signals[SCENE_RETRYING] =
    g_signal_new ("scene-retrying", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, LOOM_TYPE_SCENE, G_TYPE_UINT,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * LoomGenerator::scene-finished:
   * @scene: the scene
   * @error: (nullable): why it did not complete; %G_IO_ERROR_CANCELLED when stopped
   */
  signals[SCENE_FINISHED] =
    g_signal_new ("scene-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, LOOM_TYPE_SCENE,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
loom_generator_init (LoomGenerator *self)
{
  self->max_jobs = LOOM_GENERATOR_DEFAULT_MAX_JOBS;
  self->temperature = -1.0;
  self->running = g_ptr_array_new ();
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  g_queue_init (&self->queue);
}
