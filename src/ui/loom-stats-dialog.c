/* loom-stats-dialog.c: the story's statistics and goals (issue 17)
 *
 * Words per day for the last 30 days as a chart (typed and accepted from the AI apart, the
 * daily goal as a line), today against the goal, the streak, the story's length against its
 * target and the projected finish against the deadline, all from loom_word_stats_new () over
 * the store's word log; below them the goals, saved as they change. It follows the story
 * while it is open: the writer's saves, and other programs' changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-stats-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-dialog-util.h"
#include "loom-stats-dialog.h"
#include "loom-story.h"
#include "loom-store-words-log.h"
#include "loom-word-stats.h"

/* The days shown; the streak counts back through a year. */
#define CHART_DAYS 30
#define LOG_DAYS   366

struct _LoomStatsDialog
{
  AdwWindow        parent_instance;

  /* template children */
  LoomWordChart   *chart;
  GtkWidget       *goal_legend;
  AdwActionRow    *today_row;
  AdwActionRow    *streak_row;
  AdwActionRow    *length_row;
  AdwActionRow    *finish_row;
  GtkSpinButton   *daily_spin;
  GtkSpinButton   *target_spin;
  GtkEntry        *deadline_entry;
  GtkLabel        *error_label;

  /* owned */
  LoomStory       *story;
  gboolean         syncing;
};

G_DEFINE_FINAL_TYPE (LoomStatsDialog, loom_stats_dialog, ADW_TYPE_WINDOW)

static char *
format_today (const LoomWordStats *stats)
{
  const LoomStatsDay *today = loom_word_stats_get_today (stats);
  g_autofree char *written = NULL;

  if (stats->daily_goal > 0)
    written = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u / %'u word",
                                            "%'u / %'u words", stats->daily_goal),
                               today->written, stats->daily_goal);
  else
    written = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u word", "%'u words",
                                            today->written), today->written);
  if (today->accepted == 0)
    return g_steal_pointer (&written);
  /* TRANSLATORS: %s is today's words, e.g. "412 / 1,000 words" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, and %'u accepted from the AI",
                                       "%s, and %'u accepted from the AI", today->accepted),
                          written, today->accepted);
}

static char *
format_streak (const LoomWordStats *stats)
{
  if (stats->daily_goal > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day in a row at the daily goal",
                                         "%u days in a row at the daily goal", stats->streak),
                            stats->streak);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day in a row with writing",
                                       "%u days in a row with writing", stats->streak),
                          stats->streak);
}

static char *
format_length (const LoomWordStats *stats)
{
  if (stats->target_words > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u / %'u word", "%'u / %'u words",
                                         stats->target_words),
                            stats->story_words, stats->target_words);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u word", "%'u words",
                                       stats->story_words), stats->story_words);
}

static char *
format_finish (const LoomWordStats *stats)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *day = NULL;
  int late = stats->days_late;

  if (stats->target_words == 0)
    return g_strdup (_("Set a target length to see when the story will be finished"));
  if (loom_word_stats_target_reached (stats))
    return g_strdup (_("The target length is reached"));
  if (!g_date_valid (&stats->finish))
    return g_strdup (_("Write on a few days to see when the story will be finished"));

  when = g_date_time_new_local (g_date_get_year (&stats->finish),
                                g_date_get_month (&stats->finish),
                                g_date_get_day (&stats->finish), 12, 0, 0);
  /* TRANSLATORS: the projected finish date, in g_date_time_format () terms */
  day = g_date_time_format (when, _("%A, %-d %B %Y"));
  if (!g_date_valid (&stats->deadline))
    return g_steal_pointer (&day);
  if (late > 0)
    /* TRANSLATORS: %s is the projected finish date */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %d day after the deadline",
                                         "%s, %d days after the deadline", late), day, late);
  if (late < 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %d day before the deadline",
                                         "%s, %d days before the deadline", -late), day, -late);
  return g_strdup_printf (_("%s, on the deadline"), day);
}

static void
sync_goals (LoomStatsDialog *self)
{
  const char *deadline = loom_story_get_deadline (self->story);

  self->syncing = TRUE;
  gtk_spin_button_set_value (self->daily_spin, loom_story_get_daily_goal (self->story));
  gtk_spin_button_set_value (self->target_spin, loom_story_get_target_words (self->story));
  if (!gtk_widget_has_focus (GTK_WIDGET (self->deadline_entry)) &&
      g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->deadline_entry)),
                 deadline ? deadline : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->deadline_entry), deadline ? deadline : "");
  self->syncing = FALSE;
}

static void
update (LoomStatsDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) log = NULL;
  g_autoptr(LoomWordStats) stats = NULL;

  sync_goals (self);
  log = loom_store_get_word_log (loom_story_get_store (self->story), self->story, LOG_DAYS,
                                 &error);
  if (log == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The statistics could not be read: %s"),
                                                  error->message);
      loom_dialog_show_error (self->error_label, message);
      return;
    }
  stats = loom_word_stats_new ((const LoomWordDay *) (gpointer) log->data, log->len,
                               loom_story_get_word_count (self->story),
                               loom_story_get_target_words (self->story),
                               loom_story_get_deadline (self->story),
                               loom_story_get_daily_goal (self->story));
  loom_word_chart_set_stats (self->chart, stats, CHART_DAYS);
  gtk_widget_set_visible (self->goal_legend, stats->daily_goal > 0);
  loom_dialog_set_figure (self->today_row, format_today (stats));
  loom_dialog_set_figure (self->streak_row, format_streak (stats));
  loom_dialog_set_figure (self->length_row, format_length (stats));
  loom_dialog_set_figure (self->finish_row, format_finish (stats));
}

/* The goals as the fields have them, saved together; a deadline that is no date is said
 * under the fields and nothing is saved. */
static void
on_goal_changed (LoomStatsDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *deadline = NULL;
  guint daily, target;

  if (self->syncing || self->story == NULL)
    return;
  daily = (guint) gtk_spin_button_get_value_as_int (self->daily_spin);
  target = (guint) gtk_spin_button_get_value_as_int (self->target_spin);
  deadline = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->deadline_entry))));
  if (daily == loom_story_get_daily_goal (self->story) &&
      target == loom_story_get_target_words (self->story) &&
      g_strcmp0 (*deadline ? deadline : NULL, loom_story_get_deadline (self->story)) == 0)
    {
      loom_dialog_show_error (self->error_label, NULL);
      return;
    }
  if (!loom_story_set_goals (self->story, target, deadline, daily, &error))
    {
      loom_dialog_show_error (self->error_label, error->message);
      return;
    }
  loom_dialog_show_error (self->error_label, NULL);
}

LoomStatsDialog *
loom_stats_dialog_new (GtkWindow *parent,
                       LoomStory *story)
{
  LoomStatsDialog *self;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);

  self = g_object_new (LOOM_TYPE_STATS_DIALOG, "transient-for", parent, NULL);
  self->story = g_object_ref (story);
  for (guint i = 0; i < 4; i++)
    {
      static const char *const signals[] = {
        "notify::word-count", "notify::daily-goal", "notify::target-words", "notify::deadline",
      };

      g_signal_connect_object (story, signals[i], G_CALLBACK (update), self, G_CONNECT_SWAPPED);
    }
  update (self);
  return self;
}

LoomWordChart *
loom_stats_dialog_get_chart (LoomStatsDialog *self)
{
  g_return_val_if_fail (LOOM_IS_STATS_DIALOG (self), NULL);
  return self->chart;
}

const char *
loom_stats_dialog_get_figure (LoomStatsDialog *self,
                              const char      *name)
{
  AdwActionRow *row = NULL;

  g_return_val_if_fail (LOOM_IS_STATS_DIALOG (self), NULL);

  if (g_str_equal (name, "today"))
    row = self->today_row;
  else if (g_str_equal (name, "streak"))
    row = self->streak_row;
  else if (g_str_equal (name, "length"))
    row = self->length_row;
  else if (g_str_equal (name, "finish"))
    row = self->finish_row;
  g_return_val_if_fail (row != NULL, NULL);
  return adw_action_row_get_subtitle (row);
}

static void
loom_stats_dialog_dispose (GObject *object)
{
  LoomStatsDialog *self = LOOM_STATS_DIALOG (object);

  if (self->story != NULL)
    g_signal_handlers_disconnect_by_data (self->story, self);
  g_clear_object (&self->story);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_STATS_DIALOG);

  G_OBJECT_CLASS (loom_stats_dialog_parent_class)->dispose (object);
}

static void
loom_stats_dialog_class_init (LoomStatsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_stats_dialog_dispose;

  g_type_ensure (LOOM_TYPE_WORD_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/"
                                               "loom-stats-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomStatsDialog, chart);
  gtk_widget_class_bind_template_child (widget_class, LoomStatsDialog, goal_legend);
  gtk_widget_class_bind_template_child (widget_class, LoomStatsDialog, today_row);
  gtk_widget_class_bind_template_child (widget_class, LoomStatsDialog, streak_row);
  gtk_widget_class_bind_template_child (widget_class, LoomStatsDialog, length_row);
  gtk_widget_class_bind_template_child (widget_class, LoomStatsDialog, finish_row);
  gtk_widget_class_bind_template_child (widget_class, LoomStatsDialog, daily_spin);
  gtk_widget_class_bind_template_child (widget_class, LoomStatsDialog, target_spin);
  gtk_widget_class_bind_template_child (widget_class, LoomStatsDialog, deadline_entry);
  gtk_widget_class_bind_template_child (widget_class, LoomStatsDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_goal_changed);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
loom_stats_dialog_init (LoomStatsDialog *self)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (focus, "leave", G_CALLBACK (on_goal_changed), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->deadline_entry), focus);
}
