/* loom-generation-bar.c: the editor's line about generating the scene shown
 *
 * Beside the editor's status: what a generation is waiting for, the mark of a scene whose
 * inputs changed since its prose was generated (the tooltip says which), Retry for a scene in
 * error, Stop for one being generated, the history, and what the story has cost so far. The
 * buttons only name gen.* actions; the controller decides when they can run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-generation-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-generation-bar.h"
#include "loom-generation-util.h"
#include "loom-scene.h"

struct _LoomGenerationBar
{
  GtkWidget                 parent_instance;

  /* template children */
  GtkLabel                 *waiting_label;
  GtkWidget                *stale_box;
  GtkLabel                 *cost_label;
  GtkWidget                *stopped_box;
  GtkButton                *keep_button;
  GtkWidget                *retry_button;
  GtkWidget                *stop_button;
  GtkWidget                *history_button;

  /* owned */
  LoomGenerationController *controller;
  LoomGenerator            *generator;    /* the controller's, for its retry notices */
  LoomScene                *scene;
  char                     *stale_text;
  char                     *retry_reason;
  gint64                    retry_at;     /* monotonic µs of the next attempt, 0 for none */
  guint                     retry_tick;
};

G_DEFINE_FINAL_TYPE (LoomGenerationBar, loom_generation_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTROLLER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
loom_generation_bar_new (LoomGenerationController *controller)
{
  return g_object_new (LOOM_TYPE_GENERATION_BAR, "controller", controller, NULL);
}

static void
update (LoomGenerationBar *self)
{
  LoomScene *scene = self->scene;
  LoomSceneStatus status = scene ? loom_scene_get_status (scene) : LOOM_SCENE_STATUS_DRAFT;
  gboolean generating = status == LOOM_SCENE_STATUS_GENERATING;
  gboolean queued = scene != NULL && loom_scene_get_queued (scene);
  const char *prose = scene ? loom_scene_get_prose (scene) : NULL;
  const char *waiting = NULL;
  g_autofree char *stale = NULL;

  g_autofree char *retrying = NULL;
  guint stopped;

  if (!generating || (prose != NULL && *prose != '\0'))
    {
      self->retry_at = 0;
      g_clear_handle_id (&self->retry_tick, g_source_remove);
    }

  if (generating && self->retry_at > 0)
    {
      gint64 left = MAX (0, self->retry_at - g_get_monotonic_time ());
      guint seconds = (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

      /* TRANSLATORS: a rate limit or a busy server; the request is tried again by itself */
      retrying = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Retrying in %u s…",
                                               "Retrying in %u s…", seconds), seconds);
      waiting = retrying;
    }
  else if (generating && (prose == NULL || *prose == '\0'))
    /* The request is out and nothing came back yet. */
    waiting = _("Waiting for the server…");
  else if (queued && !generating)
    waiting = _("Queued: starts when another scene finishes");

  loom_ui_set_label (self->waiting_label, waiting ? waiting : "");
  gtk_widget_set_visible (GTK_WIDGET (self->waiting_label), waiting != NULL);
  loom_ui_set_tooltip (GTK_WIDGET (self->waiting_label),
                       retrying != NULL ? self->retry_reason : NULL);

  if (scene != NULL && !generating)
    stale = loom_generation_describe_stale_inputs (loom_scene_get_stale_inputs (scene));
  gtk_widget_set_visible (self->stale_box, stale != NULL);
  loom_ui_set_tooltip (self->stale_box, stale);
  g_free (self->stale_text);
  self->stale_text = g_steal_pointer (&stale);

  /* After Stop: the words written so far, which the scene does not hold, offered to keep. */
  stopped = scene != NULL && !generating && self->controller != NULL
              ? loom_generation_controller_get_stopped_words (self->controller, scene) : 0;
  gtk_widget_set_visible (self->stopped_box, stopped > 0);
  if (stopped > 0)
    {
      g_autofree char *keep = NULL;

      /* TRANSLATORS: a button after Stop; the scene holds its earlier prose until it is pressed */
      keep = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Keep the %u word written so far",
                                           "_Keep the %u words written so far", stopped),
                              stopped);
      if (g_strcmp0 (gtk_button_get_label (self->keep_button), keep) != 0)
        gtk_button_set_label (self->keep_button, keep);
    }

  gtk_widget_set_visible (self->retry_button, scene != NULL && status == LOOM_SCENE_STATUS_ERROR);
  gtk_widget_set_visible (self->stop_button, scene != NULL && (generating || queued));
  gtk_widget_set_visible (self->history_button, scene != NULL);
}

static gboolean
retry_tick (gpointer data)
{
  LoomGenerationBar *self = data;

  update (self);
  if (self->retry_at == 0)
    {
      self->retry_tick = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* The request for a scene failed (a rate limit, a busy server) and will be tried again. */
static void
on_scene_retrying (LoomGenerationBar *self,
                   LoomScene         *scene,
                   guint              delay_ms,
                   const GError      *reason)
{
  if (scene != self->scene)
    return;
  self->retry_at = g_get_monotonic_time () + (gint64) delay_ms * 1000;
  g_free (self->retry_reason);
  self->retry_reason = g_strdup (reason ? reason->message : NULL);
  if (self->retry_tick == 0)
    self->retry_tick = g_timeout_add_seconds (1, retry_tick, self);
  update (self);
}

static void
update_cost (LoomGenerationBar *self)
{
  const char *text = self->controller ? loom_generation_controller_get_cost_text (self->controller)
                                      : NULL;

  loom_ui_set_label (self->cost_label, text ? text : "");
  loom_ui_set_tooltip (GTK_WIDGET (self->cost_label),
                       self->controller
                       ? loom_generation_controller_get_cost_tooltip (self->controller)
                       : NULL);
}

static void
on_scene_notify (LoomGenerationBar *self,
                 GParamSpec        *pspec)
{
  const char *name = pspec->name;

  /* The prose changes with every delta: only its first one changes what is shown. */
  if (g_str_equal (name, "prose") && !gtk_widget_get_visible (GTK_WIDGET (self->waiting_label)))
    return;
  if (g_str_equal (name, "prose") || g_str_equal (name, "status") ||
      g_str_equal (name, "queued") || g_str_equal (name, "stale-inputs") ||
      g_str_equal (name, "error-message"))
    update (self);
}

static void
set_scene (LoomGenerationBar *self,
           LoomScene         *scene)
{
  if (self->scene == scene)
    return;
  if (self->scene != NULL)
    g_signal_handlers_disconnect_by_func (self->scene, on_scene_notify, self);
  g_set_object (&self->scene, scene);
  self->retry_at = 0;
  g_clear_handle_id (&self->retry_tick, g_source_remove);
  if (scene != NULL)
    g_signal_connect_object (scene, "notify", G_CALLBACK (on_scene_notify), self,
                             G_CONNECT_SWAPPED);
  update (self);
}

static void
on_item_changed (LoomGenerationBar *self)
{
  GObject *item = loom_generation_controller_get_item (self->controller);

  set_scene (self, LOOM_IS_SCENE (item) ? LOOM_SCENE (item) : NULL);
}

LoomGenerationController *
loom_generation_bar_get_controller (LoomGenerationBar *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_BAR (self), NULL);
  return self->controller;
}

void
loom_generation_bar_set_controller (LoomGenerationBar        *self,
                                    LoomGenerationController *controller)
{
  g_return_if_fail (LOOM_IS_GENERATION_BAR (self));
  g_return_if_fail (controller == NULL || LOOM_IS_GENERATION_CONTROLLER (controller));

  if (self->controller == controller)
    return;
  if (self->controller != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->controller, on_item_changed, self);
      g_signal_handlers_disconnect_by_func (self->controller, update_cost, self);
      g_signal_handlers_disconnect_by_func (self->controller, update, self);
      g_signal_handlers_disconnect_by_func (self->generator, on_scene_retrying, self);
      g_clear_object (&self->generator);
    }
  g_set_object (&self->controller, controller);
  if (controller != NULL)
    {
      self->generator = g_object_ref (loom_generation_controller_get_generator (controller));
      g_signal_connect_object (self->generator, "scene-retrying", G_CALLBACK (on_scene_retrying),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (controller, "notify::item", G_CALLBACK (on_item_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (controller, "notify::stopped-scene", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (controller, "notify::cost-text", G_CALLBACK (update_cost), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (controller, "notify::cost-tooltip", G_CALLBACK (update_cost), self,
                               G_CONNECT_SWAPPED);
      on_item_changed (self);
    }
  else
    set_scene (self, NULL);
  update_cost (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTROLLER]);
}

const char *
loom_generation_bar_get_waiting_text (LoomGenerationBar *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_BAR (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->waiting_label))
         ? gtk_label_get_label (self->waiting_label) : NULL;
}

const char *
loom_generation_bar_get_stale_text (LoomGenerationBar *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_BAR (self), NULL);
  return self->stale_text;
}

const char *
loom_generation_bar_get_cost_text (LoomGenerationBar *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_BAR (self), NULL);
  return gtk_label_get_label (self->cost_label);
}

gboolean
loom_generation_bar_get_retry_shown (LoomGenerationBar *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_BAR (self), FALSE);
  return gtk_widget_get_visible (self->retry_button);
}

gboolean
loom_generation_bar_get_stop_shown (LoomGenerationBar *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_BAR (self), FALSE);
  return gtk_widget_get_visible (self->stop_button);
}

static void
loom_generation_bar_dispose (GObject *object)
{
  LoomGenerationBar *self = (LoomGenerationBar *) object;

  GtkWidget *child;

  loom_generation_bar_set_controller (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_GENERATION_BAR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->stale_text, g_free);
  g_clear_pointer (&self->retry_reason, g_free);
  g_clear_handle_id (&self->retry_tick, g_source_remove);

  G_OBJECT_CLASS (loom_generation_bar_parent_class)->dispose (object);
}

static void
loom_generation_bar_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LoomGenerationBar *self = LOOM_GENERATION_BAR (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      g_value_set_object (value, self->controller);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_generation_bar_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  LoomGenerationBar *self = LOOM_GENERATION_BAR (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      loom_generation_bar_set_controller (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_generation_bar_class_init (LoomGenerationBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_generation_bar_dispose;
  object_class->get_property = loom_generation_bar_get_property;
  object_class->set_property = loom_generation_bar_set_property;

  properties[PROP_CONTROLLER] =
    g_param_spec_object ("controller", NULL, NULL, LOOM_TYPE_GENERATION_CONTROLLER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/generation/"
                                               "loom-generation-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationBar, waiting_label);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationBar, stale_box);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationBar, cost_label);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationBar, stopped_box);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationBar, keep_button);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationBar, retry_button);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationBar, stop_button);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationBar, history_button);

  gtk_widget_class_set_css_name (widget_class, "loomgenerationbar");
}

static void
loom_generation_bar_init (LoomGenerationBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
