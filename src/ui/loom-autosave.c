/* loom-autosave.c: when an editor writes its unsaved changes back
 *
 * An editor calls loom_autosave_changed() on every edit and saves when #LoomAutosave::save is
 * emitted: after "delay" ms without an edit, and at the latest "max-interval" ms after the
 * first unsaved edit, however fast the writer types, so a crash during steady typing loses at
 * most a couple of seconds. Focus changes, switching and closing are the editor's own
 * occasions; it saves then and calls loom_autosave_clear().
 *
 * A keystroke only notes the time: one GSource, woken at the earlier deadline, looks again
 * when it fires and sleeps on if the writer typed since. Typing thus adds no source, timer or
 * wake-up per key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-autosave"

#include "config.h"

#include "loom-autosave.h"

#define DEFAULT_DELAY_MS        1000
#define DEFAULT_MAX_INTERVAL_MS 2000

struct _LoomAutosave
{
  GObject   parent_instance;

  guint     delay;          /* ms of quiet */
  guint     max_interval;   /* ms from the first unsaved change */

  /* owned */
  GSource  *source;

  gint64    first_change;   /* monotonic µs; 0 when nothing is pending */
  gint64    last_change;
};

G_DEFINE_FINAL_TYPE (LoomAutosave, loom_autosave, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DELAY,
  PROP_MAX_INTERVAL,
  PROP_PENDING,
  N_PROPS
};

enum {
  SAVE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gint64
deadline (LoomAutosave *self)
{
  return MIN (self->last_change + (gint64) self->delay * 1000,
              self->first_change + (gint64) self->max_interval * 1000);
}

typedef struct
{
  GSource       source;
  LoomAutosave *autosave;  /* unowned: it destroys the source in dispose */
} AutosaveSource;

static gboolean
autosave_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  LoomAutosave *self = ((AutosaveSource *) source)->autosave;
  gint64 due;

  if (self->first_change == 0)
    {
      g_source_set_ready_time (source, -1);
      return G_SOURCE_CONTINUE;
    }

  due = deadline (self);
  if (g_source_get_time (source) < due)
    {
      g_source_set_ready_time (source, due);
      return G_SOURCE_CONTINUE;
    }

  /* The editor's save calls loom_autosave_clear(); a failed one leaves its edits to the next
   * change, as before. */
  g_object_ref (self);
  loom_autosave_clear (self);
  g_signal_emit (self, signals[SAVE], 0);
  g_object_unref (self);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs autosave_source_funcs = {
  NULL, NULL, autosave_dispatch, NULL, NULL, NULL,
};

/**
 * loom_autosave_changed:
 *
 * Notes an unsaved change. Cheap enough for every keystroke.
 */
void
loom_autosave_changed (LoomAutosave *self)
{
  gint64 now;

  g_return_if_fail (LOOM_IS_AUTOSAVE (self));

  now = g_get_monotonic_time ();
  self->last_change = now;
  if (self->first_change != 0)
    return;

  self->first_change = now;
  if (self->source == NULL)
    {
      self->source = g_source_new (&autosave_source_funcs, sizeof (AutosaveSource));
      ((AutosaveSource *) self->source)->autosave = self;
      g_source_set_static_name (self->source, "[storyloom] autosave");
      g_source_attach (self->source, NULL);
    }
  g_source_set_ready_time (self->source, deadline (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

/**
 * loom_autosave_clear:
 *
 * Forgets the pending change: the editor has just saved (or is saving) everything.
 */
void
loom_autosave_clear (LoomAutosave *self)
{
  g_return_if_fail (LOOM_IS_AUTOSAVE (self));

  if (self->first_change == 0)
    return;
  self->first_change = self->last_change = 0;
  g_source_set_ready_time (self->source, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

gboolean
loom_autosave_get_pending (LoomAutosave *self)
{
  g_return_val_if_fail (LOOM_IS_AUTOSAVE (self), FALSE);
  return self->first_change != 0;
}

guint
loom_autosave_get_delay (LoomAutosave *self)
{
  g_return_val_if_fail (LOOM_IS_AUTOSAVE (self), 0);
  return self->delay;
}

static void
reschedule (LoomAutosave *self)
{
  if (self->first_change != 0)
    g_source_set_ready_time (self->source, deadline (self));
}

void
loom_autosave_set_delay (LoomAutosave *self,
                         guint         delay)
{
  g_return_if_fail (LOOM_IS_AUTOSAVE (self));

  if (self->delay == delay)
    return;
  self->delay = delay;
  reschedule (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELAY]);
}

guint
loom_autosave_get_max_interval (LoomAutosave *self)
{
  g_return_val_if_fail (LOOM_IS_AUTOSAVE (self), 0);
  return self->max_interval;
}

void
loom_autosave_set_max_interval (LoomAutosave *self,
                                guint         max_interval)
{
  g_return_if_fail (LOOM_IS_AUTOSAVE (self));

  if (self->max_interval == max_interval)
    return;
  self->max_interval = max_interval;
  reschedule (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_INTERVAL]);
}

LoomAutosave *
loom_autosave_new (void)
{
  return g_object_new (LOOM_TYPE_AUTOSAVE, NULL);
}

static void
loom_autosave_dispose (GObject *object)
{
  LoomAutosave *self = (LoomAutosave *) object;

  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  self->first_change = self->last_change = 0;

  G_OBJECT_CLASS (loom_autosave_parent_class)->dispose (object);
}

static void
loom_autosave_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LoomAutosave *self = LOOM_AUTOSAVE (object);

  switch (prop_id)
    {
    case PROP_DELAY:
      g_value_set_uint (value, self->delay);
      break;
    case PROP_MAX_INTERVAL:
      g_value_set_uint (value, self->max_interval);
      break;
    case PROP_PENDING:
      g_value_set_boolean (value, loom_autosave_get_pending (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_autosave_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LoomAutosave *self = LOOM_AUTOSAVE (object);

  switch (prop_id)
    {
    case PROP_DELAY:
      loom_autosave_set_delay (self, g_value_get_uint (value));
      break;
    case PROP_MAX_INTERVAL:
      loom_autosave_set_max_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_autosave_class_init (LoomAutosaveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = loom_autosave_dispose;
  object_class->get_property = loom_autosave_get_property;
  object_class->set_property = loom_autosave_set_property;

  properties[PROP_DELAY] =
    g_param_spec_uint ("delay", NULL, NULL, 0, G_MAXUINT, DEFAULT_DELAY_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_INTERVAL] =
    g_param_spec_uint ("max-interval", NULL, NULL, 0, G_MAXUINT, DEFAULT_MAX_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_boolean ("pending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LoomAutosave::save:
   *
   * Time to write the unsaved changes back. Nothing is pending any more when it is emitted;
   * an edit made afterwards starts a new round.
   */
  signals[SAVE] = g_signal_new ("save", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
loom_autosave_init (LoomAutosave *self)
{
  self->delay = DEFAULT_DELAY_MS;
  self->max_interval = DEFAULT_MAX_INTERVAL_MS;
}
