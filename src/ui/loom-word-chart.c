/* loom-word-chart.c: words per day as a bar chart (issue 17)
 *
 * One bar a day, oldest left and today right: the words the writer typed at the bottom, the
 * words accepted from the AI stacked above them in another colour, and the daily goal as a
 * line across, over a value axis of round figures (0, 100, 200…) with gridlines. Drawn with
 * GtkSnapshot, so it follows the window's scale and theme; the dialog
 * beside it has the legend, and the chart's accessible description says the figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-word-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-chart-paint.h"
#include "loom-word-chart.h"

/* libadwaita's palette: blue 3 and purple 3, as in the legend (loom-stats-dialog.ui) */
#define WRITTEN_COLOR  "#3584e4"
#define ACCEPTED_COLOR "#9141ac"
#define GOAL_COLOR     "#e66100"

#define LABEL_HEIGHT 18
#define BAR_GAP      2
/* between the value axis's labels and the bars */
#define AXIS_GAP     6
/* at most this many steps between gridlines */
#define MAX_STEPS    5

struct _LoomWordChart
{
  GtkWidget  parent_instance;

  GArray    *days;          /* (element-type LoomStatsDay) the days drawn */
  guint      daily_goal;
  guint      highest;       /* the most words on one day, or the goal if higher */
  guint      step;          /* between gridlines, in words */
  guint      top;           /* the scale's top: the first gridline at or above highest */
};

G_DEFINE_FINAL_TYPE (LoomWordChart, loom_word_chart, GTK_TYPE_WIDGET)

GtkWidget *
loom_word_chart_new (void)
{
  return g_object_new (LOOM_TYPE_WORD_CHART, NULL);
}

static char *
describe (LoomWordChart *self)
{
  guint written = 0, accepted = 0;
  const LoomStatsDay *best = NULL;
  g_autofree char *total = NULL;
  g_autofree char *most = NULL;

  for (guint i = 0; i < self->days->len; i++)
    {
      const LoomStatsDay *day = &g_array_index (self->days, LoomStatsDay, i);

      /* a month of writing is far below G_MAXUINT words; the sums stop there all the same */
      written = day->written > G_MAXUINT - written ? G_MAXUINT : written + day->written;
      accepted = day->accepted > G_MAXUINT - accepted ? G_MAXUINT : accepted + day->accepted;
      if (best == NULL || day->written + day->accepted > best->written + best->accepted)
        best = day;
    }
  /* TRANSLATORS: the chart's description for screen readers; the days, then the words */
  total = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "Last %u day: %'u words written, %'u accepted from the AI.",
                                        "Last %u days: %'u words written, %'u accepted from the AI.",
                                        self->days->len),
                           self->days->len, written, accepted);
  if (best == NULL || best->written + best->accepted == 0)
    return g_steal_pointer (&total);
  /* TRANSLATORS: %s is a day, YYYY-MM-DD */
  most = g_strdup_printf (_("The most in a day: %'u written and %'u accepted on %s."),
                          best->written, best->accepted, best->day);
  return g_strjoin (" ", total, most, NULL);
}

/**
 * loom_word_chart_set_stats:
 * @days: how many of the last days to draw
 */
void
loom_word_chart_set_stats (LoomWordChart       *self,
                           const LoomWordStats *stats,
                           guint                days)
{
  g_autofree char *description = NULL;
  guint first;

  g_return_if_fail (LOOM_IS_WORD_CHART (self));
  g_return_if_fail (stats != NULL);

  first = stats->days->len > days ? stats->days->len - days : 0;
  g_array_set_size (self->days, 0);
  g_array_append_vals (self->days, &g_array_index (stats->days, LoomStatsDay, first),
                       stats->days->len - first);
  self->daily_goal = stats->daily_goal;
  self->highest = stats->daily_goal;
  for (guint i = 0; i < self->days->len; i++)
    {
      const LoomStatsDay *day = &g_array_index (self->days, LoomStatsDay, i);

      self->highest = MAX (self->highest, day->written + day->accepted);
    }

  self->step = loom_word_chart_step_for (self->highest);
  self->top = (guint) MIN (G_MAXUINT, MAX (self->step, ((guint64) self->highest + self->step - 1) /
                                                         self->step * self->step));

  description = describe (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
loom_word_chart_get_days (LoomWordChart *self)
{
  g_return_val_if_fail (LOOM_IS_WORD_CHART (self), 0);
  return self->days->len;
}

/* The most words on one day (or the goal, if higher). */
guint
loom_word_chart_get_highest (LoomWordChart *self)
{
  g_return_val_if_fail (LOOM_IS_WORD_CHART (self), 0);
  return self->highest;
}

/* The words between the value axis's gridlines, and its top (a gridline too). */
guint
loom_word_chart_get_step (LoomWordChart *self)
{
  g_return_val_if_fail (LOOM_IS_WORD_CHART (self), 0);
  return self->step;
}

guint
loom_word_chart_get_top (LoomWordChart *self)
{
  g_return_val_if_fail (LOOM_IS_WORD_CHART (self), 0);
  return self->top;
}

/**
 * loom_word_chart_step_for:
 *
 * A round step for a value axis up to @highest: 1, 2 or 5 times a power of ten, the least
 * that reaches @highest in at most five steps (500 words: 100; 1,234: 500).
 */
guint
loom_word_chart_step_for (guint highest)
{
  static const guint factors[] = { 1, 2, 5 };

  for (guint64 power = 1; ; power *= 10)
    for (guint i = 0; i < G_N_ELEMENTS (factors); i++)
      if (power * factors[i] * MAX_STEPS >= highest)
        return (guint) MIN (power * factors[i], G_MAXUINT);
}

/* The value axis: a faint gridline and a figure at each step, 0 at the bottom. Returns
 * where the bars start, right of the figures. */
static float
append_axis (LoomWordChart *self,
             GtkSnapshot   *snapshot,
             float          width,
             float          height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autofree char *widest = g_strdup_printf ("%'u", self->top);
  int label_width, label_height;
  float left;
  GdkRGBA grid;

  label_width = loom_chart_text_width (widget, widest, &label_height);
  left = label_width + AXIS_GAP;
  loom_chart_text_color (widget, 0.15f, &grid);
  for (guint64 value = 0; value <= self->top; value += self->step)
    {
      g_autofree char *figure = g_strdup_printf ("%'u", (guint) value);
      float y = height - height * value / (float) self->top;

      gtk_snapshot_append_color (snapshot, &grid,
                                 &GRAPHENE_RECT_INIT (left, y - 0.5f, width - left, 1));
      loom_chart_append_label (widget, snapshot, figure, label_width,
                               CLAMP (y - label_height / 2.0f, 0,
                                      height + LABEL_HEIGHT - label_height), 1);
    }
  return left;
}

static void
loom_word_chart_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  LoomWordChart *self = LOOM_WORD_CHART (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget) - LABEL_HEIGHT;
  float left, slot;

  if (self->days->len == 0 || height <= 0 || self->top == 0)
    return;
  left = append_axis (self, snapshot, width, height);
  slot = (width - left) / self->days->len;
  for (guint i = 0; i < self->days->len; i++)
    {
      const LoomStatsDay *day = &g_array_index (self->days, LoomStatsDay, i);
      float x = left + i * slot + BAR_GAP / 2.0f;
      float bar = MAX (1.0f, slot - BAR_GAP);
      float written = height * day->written / self->top;
      float accepted = height * day->accepted / self->top;

      loom_chart_append_rect (snapshot, WRITTEN_COLOR, x, height - written, bar, written);
      loom_chart_append_rect (snapshot, ACCEPTED_COLOR, x, height - written - accepted, bar,
                              accepted);
      /* every seventh day back from today, and the first, are named */
      if ((self->days->len - 1 - i) % 7 == 0)
        loom_chart_append_label (widget, snapshot, day->day + 8, x + bar / 2, height + 2, 0.5f);
    }
  if (self->daily_goal > 0)
    loom_chart_append_rect (snapshot, GOAL_COLOR, left,
                            height - height * self->daily_goal / (float) self->top - 1,
                            width - left, 2);
}

static void
loom_word_chart_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 480;
    }
  else
    {
      *minimum = 120;
      *natural = 200;
    }
}

static void
loom_word_chart_finalize (GObject *object)
{
  LoomWordChart *self = LOOM_WORD_CHART (object);

  g_clear_pointer (&self->days, g_array_unref);

  G_OBJECT_CLASS (loom_word_chart_parent_class)->finalize (object);
}

static void
loom_word_chart_class_init (LoomWordChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = loom_word_chart_finalize;
  widget_class->snapshot = loom_word_chart_snapshot;
  widget_class->measure = loom_word_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "wordchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
loom_word_chart_init (LoomWordChart *self)
{
  self->days = g_array_new (FALSE, TRUE, sizeof (LoomStatsDay));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Words per Day"), -1);
}
