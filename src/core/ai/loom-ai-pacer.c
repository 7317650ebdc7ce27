/* loom-ai-pacer.c: shares the main loop between network reads and the window's frames
 *
 * A fast server keeps every socket readable. Read at G_PRIORITY_DEFAULT, eight streams then
 * take every turn of the main loop and GTK's frame clock (G_PRIORITY_HIGH_IDLE + 20) never
 * runs: the window stops painting for a second at a time. Read below the frame clock instead,
 * they starve whenever frames come back to back (spinners on a loaded machine).
 *
 * So the work a read brings (parsing its events, handing over its text) runs at the default
 * priority until it has used BUDGET_US of this thread's time. Work arriving after that waits
 * until the loop has had nothing more urgent to do, frames included (an idle below the frame
 * clock), or MAX_WAIT_MS at most, when it runs whatever else is waiting. Either way the budget
 * starts again. A frame due while reads stream thus waits one budget, and reads never wait
 * more than about two frames.
 *
 * One pacer per thread serves every stream its main context reads, so eight streams share one
 * budget. A context other than the pacer's (a thread pushing its own while work waits) is not
 * paced.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-ai"

#include "config.h"

#include "loom-ai-pacer.h"
#include "loom-ai-private.h"

#define BUDGET_US   (4 * 1000)
#define MAX_WAIT_MS 32
/* Below the frame clock and GtkTextView's layout (G_PRIORITY_HIGH_IDLE + 25). */
#define IDLE_PRIORITY G_PRIORITY_DEFAULT_IDLE

typedef struct
{
  LoomAiPacerFunc func;
  gpointer        data;
} Work;

typedef struct
{
  GMainContext *context;
  gint64        used;            /* µs of work since the budget last started */
  GQueue        waiting;         /* of Work */
  GSource      *idle_source;     /* the loop had time for everything more urgent */
  GSource      *deadline_source; /* waiting has lasted long enough */
  gboolean      running;
  gint64        run_start;       /* of the work running */
} Pacer;

static void
pacer_free (gpointer data)
{
  Pacer *self = data;
  Work *work;

  /* A thread ending with work waiting: run it, so every task still gets its answer. */
  while ((work = g_queue_pop_head (&self->waiting)) != NULL)
    {
      work->func (work->data);
      g_free (work);
    }
  loom_ai_clear_source (&self->idle_source);
  loom_ai_clear_source (&self->deadline_source);
  g_main_context_unref (self->context);
  g_free (self);
}

static GPrivate pacer_key = G_PRIVATE_INIT (pacer_free);

static void
run_work (Pacer           *self,
          LoomAiPacerFunc  func,
          gpointer         data)
{
  self->run_start = g_get_monotonic_time ();
  self->running = TRUE;
  func (data);
  self->running = FALSE;
  self->used += g_get_monotonic_time () - self->run_start;
}

static gboolean release_cb (gpointer user_data);

static GSource *
source_new (Pacer       *self,
            GSource     *source,
            int          priority,
            const char  *name,
            GSourceFunc  func)
{
  g_source_set_priority (source, priority);
  g_source_set_static_name (source, name);
  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
  return source;
}

static void
arm (Pacer *self)
{
  if (self->idle_source == NULL && (self->used > 0 || self->waiting.length > 0))
    self->idle_source = source_new (self, g_idle_source_new (), IDLE_PRIORITY,
                                    "[loom-ai] pacer idle", release_cb);
  if (self->deadline_source == NULL && self->waiting.length > 0)
    self->deadline_source = source_new (self, g_timeout_source_new (MAX_WAIT_MS),
                                        G_PRIORITY_DEFAULT, "[loom-ai] pacer deadline",
                                        release_cb);
}

/* A new budget: the work that waited runs, first come first served, until it is spent. */
static void
release (Pacer *self)
{
  Work *work;

  self->used = 0;
  loom_ai_clear_source (&self->idle_source);
  loom_ai_clear_source (&self->deadline_source);

  while (self->used < BUDGET_US && (work = g_queue_pop_head (&self->waiting)) != NULL)
    {
      run_work (self, work->func, work->data);
      g_free (work);
    }

  arm (self);
}

/* Either source: release () destroys both, the one dispatching too. */
static gboolean
release_cb (gpointer user_data)
{
  release (user_data);
  return G_SOURCE_REMOVE;
}

static Pacer *
pacer_for (GMainContext *context)
{
  Pacer *self = g_private_get (&pacer_key);

  if (self == NULL)
    {
      self = g_new0 (Pacer, 1);
      self->context = g_main_context_ref (context);
      g_queue_init (&self->waiting);
      g_private_set (&pacer_key, self);
    }
  else if (self->context != context && self->waiting.length == 0 && !self->running)
    {
      loom_ai_clear_source (&self->idle_source);
      loom_ai_clear_source (&self->deadline_source);
      g_main_context_unref (self->context);
      self->context = g_main_context_ref (context);
      self->used = 0;
    }

  return self->context == context ? self : NULL;
}

/**
 * loom_ai_pacer_run:
 * @context: the main context the work belongs to (the caller's task's)
 * @func: the work: what one network read brought
 * @data: for @func
 *
 * Calls @func now, or later in the same order as it was given, when this turn of the main
 * loop has already spent its budget on such work. @func is always called exactly once.
 */
void
loom_ai_pacer_run (GMainContext    *context,
                   LoomAiPacerFunc  func,
                   gpointer         data)
{
  Pacer *self;

  g_return_if_fail (func != NULL);

  if (context == NULL)
    context = g_main_context_default ();
  self = pacer_for (context);

  if (self == NULL)
    {
      func (data);
      return;
    }

  if (self->running || self->waiting.length > 0 || self->used >= BUDGET_US)
    {
      Work *work = g_new (Work, 1);

      work->func = func;
      work->data = data;
      g_queue_push_tail (&self->waiting, work);
    }
  else
    run_work (self, func, data);

  arm (self);
}

/**
 * loom_ai_pacer_has_budget:
 * @context: the main context the work belongs to
 *
 * Whether the work running now (from loom_ai_pacer_run()) may go on to more of the same, such
 * as a read whose data is already there, within this turn's budget.
 *
 * Returns: %FALSE when the budget is spent; %TRUE too outside paced work
 */
gboolean
loom_ai_pacer_has_budget (GMainContext *context)
{
  Pacer *self = g_private_get (&pacer_key);

  if (context == NULL)
    context = g_main_context_default ();
  if (self == NULL || !self->running || self->context != context)
    return TRUE;

  return self->used + (g_get_monotonic_time () - self->run_start) < BUDGET_US;
}
