/* loom-disclosure-chart.c: who wrote the story's words, as bars (issue 18)
 *
 * One horizontal bar for the whole story, then one per chapter, each split into the shares of
 * the writer's words, the model's words kept unchanged, the model's words the writer edited,
 * and words of unknown origin, over an axis of 0–100 %. Shares rather than word counts: a
 * short chapter's mix is as readable as a long one's, and the figures are in the list beside.
 *
 * The four kinds differ by more than hue, for readers who do not tell colours apart: blue and
 * orange (the pair the common colour blindnesses keep apart), the edited words in orange
 * stripes, the unknown in grey; wide enough segments carry their percentage, and the dialog
 * has a legend with the same swatches (style.css). The accessible description says every
 * bar's figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-disclosure-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-chart-paint.h"
#include "loom-disclosure-chart.h"

/* libadwaita's palette, as in the legend (style.css, .legend-swatch.writer and after) */
#define WRITER_COLOR       "#3584e4"
#define KEPT_COLOR         "#e66100"
#define EDITED_COLOR       "#ffbe6f"
#define EDITED_STRIPE      "#e66100"
#define UNKNOWN_COLOR      "#9a9996"

#define BAR_HEIGHT   22
#define BAR_GAP      8
/* more room under the whole story's bar, which the chapters' follow */
#define TOTAL_GAP    10
#define LABEL_GAP    8
#define AXIS_HEIGHT  18
/* a segment's percentage needs this much room beside its text */
#define INSIDE_PAD   6
#define STRIPE_STEP  6.0

typedef struct
{
  char          *label;
  LoomWordTally  words;
} Bar;

typedef struct
{
  const char *color;
  gboolean    striped;
  gboolean    dark_text;   /* on the lighter colours, dark text reads better than white */
} Kind;

static const Kind kinds[] = {
  { WRITER_COLOR, FALSE, FALSE },
  { KEPT_COLOR, FALSE, FALSE },
  { EDITED_COLOR, TRUE, TRUE },
  { UNKNOWN_COLOR, FALSE, TRUE },
};

struct _LoomDisclosureChart
{
  GtkWidget  parent_instance;

  GArray    *bars;          /* (element-type Bar) */
  char      *description;   /* the accessible description, as set */
};

G_DEFINE_FINAL_TYPE (LoomDisclosureChart, loom_disclosure_chart, GTK_TYPE_WIDGET)

GtkWidget *
loom_disclosure_chart_new (void)
{
  return g_object_new (LOOM_TYPE_DISCLOSURE_CHART, NULL);
}

static void
clear_bar (gpointer data)
{
  Bar *bar = data;

  g_free (bar->label);
}

static guint
tally_get (const LoomWordTally *words,
           guint                kind)
{
  const guint figures[] = { words->writer, words->kept, words->edited, words->unknown };

  return figures[kind];
}

static char *
describe_bar (const Bar *bar)
{
  const LoomWordTally *words = &bar->words;
  const LoomWordTally shares = loom_word_tally_shares (words);
  guint total = loom_word_tally_total (words);

  if (total == 0)
    /* TRANSLATORS: %s is "Whole story" or "Chapter 2" */
    return g_strdup_printf (_("%s: no words."), bar->label);
  /* TRANSLATORS: the chart's description for screen readers; %s is "Whole story" or
   * "Chapter 2", then the words and the four shares in percent */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s: %'u word, %u %% written by you, %u %% generated and "
                                       "kept unchanged, %u %% generated then edited, %u %% of "
                                       "unknown origin.",
                                       "%s: %'u words, %u %% written by you, %u %% generated and "
                                       "kept unchanged, %u %% generated then edited, %u %% of "
                                       "unknown origin.", total),
                          bar->label, total, shares.writer, shares.kept, shares.edited,
                          shares.unknown);
}

static char *
describe (LoomDisclosureChart *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < self->bars->len; i++)
    g_ptr_array_add (parts, describe_bar (&g_array_index (self->bars, Bar, i)));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" ", (char **) parts->pdata);
}

static void
add_bar (LoomDisclosureChart *self,
         char                *label,
         const LoomWordTally *words)
{
  Bar bar = { label, *words };

  g_array_append_val (self->bars, bar);
}

/**
 * loom_disclosure_chart_set_report:
 *
 * Draws @report's shares: the whole story's, then each chapter's. The chart keeps its own
 * copy of the figures.
 */
void
loom_disclosure_chart_set_report (LoomDisclosureChart  *self,
                                  const LoomDisclosure *report)
{
  g_return_if_fail (LOOM_IS_DISCLOSURE_CHART (self));
  g_return_if_fail (report != NULL);

  g_array_set_size (self->bars, 0);
  add_bar (self, g_strdup (_("Whole story")), &report->words);
  for (guint i = 0; i < report->chapters->len; i++)
    {
      const LoomDisclosureChapter *chapter =
        &g_array_index (report->chapters, LoomDisclosureChapter, i);

      /* TRANSLATORS: a bar of the disclosure chart; %u is the chapter's number */
      add_bar (self, g_strdup_printf (_("Chapter %u"), chapter->number), &chapter->words);
    }

  g_free (self->description);
  self->description = describe (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
loom_disclosure_chart_get_n_bars (LoomDisclosureChart *self)
{
  g_return_val_if_fail (LOOM_IS_DISCLOSURE_CHART (self), 0);
  return self->bars->len;
}

/* GTK 4.8 has no getter for an accessible property: the tests read it here. */
const char *
loom_disclosure_chart_get_description (LoomDisclosureChart *self)
{
  g_return_val_if_fail (LOOM_IS_DISCLOSURE_CHART (self), NULL);
  return self->description;
}

static float
bar_top (guint index)
{
  return index * (BAR_HEIGHT + BAR_GAP) + (index > 0 ? TOTAL_GAP : 0);
}

/* Diagonal stripes over the lighter colour: the edited words, told apart without colour. */
static void
append_striped (GtkSnapshot           *snapshot,
                const graphene_rect_t *rect)
{
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, rect);
  GdkRGBA base, stripe;
  double x0 = rect->origin.x, y0 = rect->origin.y;
  double w = rect->size.width, h = rect->size.height;

  gdk_rgba_parse (&base, EDITED_COLOR);
  gdk_rgba_parse (&stripe, EDITED_STRIPE);
  cairo_rectangle (cr, x0, y0, w, h);
  cairo_clip (cr);
  gdk_cairo_set_source_rgba (cr, &base);
  cairo_paint (cr);
  gdk_cairo_set_source_rgba (cr, &stripe);
  cairo_set_line_width (cr, 2);
  for (double x = x0 - h; x < x0 + w; x += STRIPE_STEP)
    {
      cairo_move_to (cr, x, y0 + h);
      cairo_line_to (cr, x + h, y0);
    }
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
append_share (LoomDisclosureChart *self,
              GtkSnapshot         *snapshot,
              const Kind          *kind,
              guint                percent,
              float                x,
              float                y,
              float                width)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autofree char *figure = NULL;
  int text_width, text_height;
  GdkRGBA text;

  if (kind->striped)
    append_striped (snapshot, &GRAPHENE_RECT_INIT (x, y, width, BAR_HEIGHT));
  else
    loom_chart_append_rect (snapshot, kind->color, x, y, width, BAR_HEIGHT);

  /* TRANSLATORS: a share inside a bar of the disclosure chart */
  figure = g_strdup_printf (_("%u %%"), percent);
  text_width = loom_chart_text_width (widget, figure, &text_height);
  if (text_width + 2 * INSIDE_PAD > width)
    return;
  gdk_rgba_parse (&text, kind->dark_text ? "rgba(0,0,0,0.85)" : "#ffffff");
  loom_chart_append_text (widget, snapshot, figure, &text, x + width / 2,
                          y + (BAR_HEIGHT - text_height) / 2.0f, 0.5f);
}

static void
append_bar (LoomDisclosureChart *self,
            GtkSnapshot         *snapshot,
            const Bar           *bar,
            float                left,
            float                y,
            float                width)
{
  guint total = loom_word_tally_total (&bar->words);
  const LoomWordTally shares = loom_word_tally_shares (&bar->words);
  GdkRGBA track;
  float x = left;
  guint64 done = 0;

  loom_chart_text_color (GTK_WIDGET (self), 0.08f, &track);
  gtk_snapshot_append_color (snapshot, &track, &GRAPHENE_RECT_INIT (left, y, width, BAR_HEIGHT));
  if (total == 0)
    {
      loom_chart_append_label (GTK_WIDGET (self), snapshot, _("no words"), left + INSIDE_PAD,
                               y + 2, 0);
      return;
    }
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      guint words = tally_get (&bar->words, k);
      float end;

      if (words == 0)
        continue;
      done += words;
      /* each segment ends where the words so far end, so rounding never leaves a gap */
      end = left + width * (float) ((double) done / total);
      /* a pixel of the card between neighbours */
      append_share (self, snapshot, &kinds[k], tally_get (&shares, k), x, y,
                    MAX (1.0f, end - x - (done < total ? 1.0f : 0.0f)));
      x = end;
    }
}

/* Gridlines at every quarter and their figures under the bars. */
static void
append_axis (LoomDisclosureChart *self,
             GtkSnapshot         *snapshot,
             float                left,
             float                width,
             float                height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA grid;

  loom_chart_text_color (widget, 0.15f, &grid);
  for (guint quarter = 0; quarter <= 4; quarter++)
    {
      /* TRANSLATORS: a figure of the disclosure chart's axis, 0 % to 100 % */
      g_autofree char *figure = g_strdup_printf (_("%u %%"), quarter * 25);
      float x = left + width * quarter / 4.0f;

      gtk_snapshot_append_color (snapshot, &grid,
                                 &GRAPHENE_RECT_INIT (x - 0.5f, 0, 1, height));
      loom_chart_append_label (widget, snapshot, figure, x, height + 2,
                               quarter == 0 ? 0 : quarter == 4 ? 1 : 0.5f);
    }
}

static int
label_width (LoomDisclosureChart *self)
{
  int widest = 0;

  for (guint i = 0; i < self->bars->len; i++)
    widest = MAX (widest, loom_chart_text_width (GTK_WIDGET (self),
                                                 g_array_index (self->bars, Bar, i).label,
                                                 NULL));
  return widest;
}

static void
loom_disclosure_chart_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot)
{
  LoomDisclosureChart *self = LOOM_DISCLOSURE_CHART (widget);
  float width = gtk_widget_get_width (widget);
  float height, left;
  int labels;

  if (self->bars->len == 0)
    return;
  labels = label_width (self);
  left = labels + LABEL_GAP;
  height = bar_top (self->bars->len) - BAR_GAP;
  /* the axis's last figure, right-aligned, must fit too */
  width -= left;
  if (width <= 1)
    return;
  /* the gridlines under the bars, showing only between them */
  append_axis (self, snapshot, left, width, height);
  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);
      int text_height;

      loom_chart_text_width (widget, bar->label, &text_height);
      loom_chart_append_label (widget, snapshot, bar->label, labels, bar_top (i) +
                               (BAR_HEIGHT - text_height) / 2.0f, 1);
      append_bar (self, snapshot, bar, left, bar_top (i), width);
    }
}

static void
loom_disclosure_chart_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  LoomDisclosureChart *self = LOOM_DISCLOSURE_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = label_width (self) + LABEL_GAP + 120;
      *natural = MAX (*minimum, 480);
    }
  else
    *minimum = *natural = (int) bar_top (MAX (1, self->bars->len)) - BAR_GAP + AXIS_HEIGHT;
}

static void
loom_disclosure_chart_finalize (GObject *object)
{
  LoomDisclosureChart *self = LOOM_DISCLOSURE_CHART (object);

  g_clear_pointer (&self->bars, g_array_unref);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (loom_disclosure_chart_parent_class)->finalize (object);
}

static void
loom_disclosure_chart_class_init (LoomDisclosureChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = loom_disclosure_chart_finalize;
  widget_class->snapshot = loom_disclosure_chart_snapshot;
  widget_class->measure = loom_disclosure_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "disclosurechart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
loom_disclosure_chart_init (LoomDisclosureChart *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (self->bars, clear_bar);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Who Wrote the Words"), -1);
}
