/* loom-goal-indicator.c: today's words against the daily goal, in the header (issue 17)
 *
 * "412 / 1,000 words today" over a level bar, or "412 words today" without a goal. The count
 * is the words the writer typed today in the story (loom-word-stats.c: never below zero, the
 * AI's words apart). It follows the story's word count, which moves with each save of the
 * prose (a second after typing pauses, as the editor's own count), and the goal, which may
 * change in another program. Clicking it opens the statistics.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-goal-indicator"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-generation-util.h"
#include "loom-goal-indicator.h"
#include "loom-story.h"
#include "loom-store-words-log.h"
#include "loom-word-stats.h"

struct _LoomGoalIndicator
{
  GtkWidget    parent_instance;

  /* template children */
  GtkWidget   *button;
  GtkLabel    *label;
  GtkLevelBar *level_bar;

  /* owned */
  LoomStory   *story;
};

G_DEFINE_FINAL_TYPE (LoomGoalIndicator, loom_goal_indicator, GTK_TYPE_WIDGET)

/* Today's words as the views show them; 0 when the log cannot be read (the store has said
 * why elsewhere: its errors reach the window through the editors that write). */
static guint
words_today (LoomStory *story)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) log = NULL;
  gint64 written;

  log = loom_store_get_word_log (loom_story_get_store (story), story, 1, &error);
  if (log == NULL)
    {
      g_debug ("No word log: %s", error->message);
      return 0;
    }
  written = g_array_index (log, LoomWordDay, 0).written;
  return (guint) CLAMP (written, 0, G_MAXUINT);
}

static void
update (LoomGoalIndicator *self)
{
  guint goal, today;
  g_autofree char *text = NULL;

  if (self->story == NULL)
    return;
  goal = loom_story_get_daily_goal (self->story);
  today = words_today (self->story);
  if (goal > 0)
    /* TRANSLATORS: today's words against the daily goal, e.g. "412 / 1,000 words today" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u / %'u word today",
                                         "%'u / %'u words today", goal), today, goal);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u word today",
                                         "%'u words today", today), today);
  loom_ui_set_label (self->label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->level_bar), goal > 0);
  gtk_level_bar_set_value (self->level_bar, goal > 0 ? MIN (1.0, (double) today / goal) : 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

void
loom_goal_indicator_set_story (LoomGoalIndicator *self,
                               LoomStory         *story)
{
  g_return_if_fail (LOOM_IS_GOAL_INDICATOR (self));
  g_return_if_fail (story == NULL || LOOM_IS_STORY (story));

  if (self->story == story)
    return;
  if (self->story != NULL)
    g_signal_handlers_disconnect_by_data (self->story, self);
  g_set_object (&self->story, story);
  if (story != NULL)
    {
      g_signal_connect_object (story, "notify::word-count", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (story, "notify::daily-goal", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
    }
  update (self);
}

LoomStory *
loom_goal_indicator_get_story (LoomGoalIndicator *self)
{
  g_return_val_if_fail (LOOM_IS_GOAL_INDICATOR (self), NULL);
  return self->story;
}

/* What the indicator says, for the tests. */
const char *
loom_goal_indicator_get_text (LoomGoalIndicator *self)
{
  g_return_val_if_fail (LOOM_IS_GOAL_INDICATOR (self), NULL);
  return gtk_label_get_label (self->label);
}

static void
loom_goal_indicator_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (loom_goal_indicator_parent_class)->map (widget);
  /* the day may have changed while it was hidden */
  update (LOOM_GOAL_INDICATOR (widget));
}

static void
loom_goal_indicator_dispose (GObject *object)
{
  LoomGoalIndicator *self = LOOM_GOAL_INDICATOR (object);

  if (self->story != NULL)
    g_signal_handlers_disconnect_by_data (self->story, self);
  g_clear_object (&self->story);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_GOAL_INDICATOR);

  G_OBJECT_CLASS (loom_goal_indicator_parent_class)->dispose (object);
}

static void
loom_goal_indicator_class_init (LoomGoalIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_goal_indicator_dispose;
  widget_class->map = loom_goal_indicator_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/"
                                               "loom-goal-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomGoalIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, LoomGoalIndicator, label);
  gtk_widget_class_bind_template_child (widget_class, LoomGoalIndicator, level_bar);
}

static void
loom_goal_indicator_init (LoomGoalIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
