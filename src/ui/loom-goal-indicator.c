/* loom-goal-indicator.c: today's words against the daily goal, in the header (issue 17)
 *
 * "412 / 1,000 words today" over a level bar, or "412 words today" without a goal. The count
 * is the words the writer typed today in the story (loom-word-stats.c: never below zero, the
 * AI's words apart). It follows the story's word count, which moves with each save of the
 * prose (a second after typing pauses, as the editor's own count), and the goal, which may
 * change in another program. Clicking it opens the statistics. At local midnight the count
 * starts again from the new day's, without waiting for a save: a timer wakes at midnight, and
 * at least once a minute, since a timer does not run while the computer sleeps.
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
  guint        day_source;
  char         day[11];     /* the day the count is for, YYYY-MM-DD */
};

G_DEFINE_FINAL_TYPE (LoomGoalIndicator, loom_goal_indicator, GTK_TYPE_WIDGET)

static void watch_day (LoomGoalIndicator *self);

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
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *day = NULL;

  if (self->story == NULL)
    return;
  now = loom_store_now_local (loom_story_get_store (self->story));
  day = g_date_time_format (now, "%Y-%m-%d");
  g_strlcpy (self->day, day, sizeof self->day);
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
  /* the store's clock may have moved otherwise than the real one (a test sets it) */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    watch_day (self);
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
  if (story == NULL)
    g_clear_handle_id (&self->day_source, g_source_remove);
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

/* The longest a new day waits to show: after the computer slept through midnight. */
#define DAY_CHECK_MS (60 * 1000)

static gboolean
on_day_check (gpointer data)
{
  LoomGoalIndicator *self = data;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *day = NULL;

  self->day_source = 0;
  if (self->story != NULL)
    {
      now = loom_store_now_local (loom_story_get_store (self->story));
      day = g_date_time_format (now, "%Y-%m-%d");
      if (g_strcmp0 (day, self->day) != 0)
        {
          update (self);
          return G_SOURCE_REMOVE;
        }
    }
  watch_day (self);
  return G_SOURCE_REMOVE;
}

/* Wakes just after the next local midnight by the store's clock, or in a minute. */
static void
watch_day (LoomGoalIndicator *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) next = NULL;
  GTimeSpan wait;

  g_clear_handle_id (&self->day_source, g_source_remove);
  if (self->story == NULL)
    return;
  now = loom_store_now_local (loom_story_get_store (self->story));
  midnight = g_date_time_new (g_date_time_get_timezone (now), g_date_time_get_year (now),
                              g_date_time_get_month (now), g_date_time_get_day_of_month (now),
                              0, 0, 0);
  next = g_date_time_add_days (midnight, 1);
  wait = g_date_time_difference (next, now) / G_TIME_SPAN_MILLISECOND + 1;
  self->day_source = g_timeout_add ((guint) CLAMP (wait, 1, DAY_CHECK_MS), on_day_check, self);
}

static void
loom_goal_indicator_map (GtkWidget *widget)
{
  LoomGoalIndicator *self = LOOM_GOAL_INDICATOR (widget);

  GTK_WIDGET_CLASS (loom_goal_indicator_parent_class)->map (widget);
  /* the day may have changed while it was hidden */
  update (self);
}

static void
loom_goal_indicator_unmap (GtkWidget *widget)
{
  LoomGoalIndicator *self = LOOM_GOAL_INDICATOR (widget);

  g_clear_handle_id (&self->day_source, g_source_remove);
  GTK_WIDGET_CLASS (loom_goal_indicator_parent_class)->unmap (widget);
}

static void
loom_goal_indicator_dispose (GObject *object)
{
  LoomGoalIndicator *self = LOOM_GOAL_INDICATOR (object);

  if (self->story != NULL)
    g_signal_handlers_disconnect_by_data (self->story, self);
  g_clear_object (&self->story);
  g_clear_handle_id (&self->day_source, g_source_remove);
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
  widget_class->unmap = loom_goal_indicator_unmap;

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
