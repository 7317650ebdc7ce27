/* loom-disclosure.c: a story's disclosure report, who wrote its words
 *
 * The numbers come from loom_store_get_disclosure(); this file only holds them and writes
 * them out as Markdown, for the report's Export and for the appendix of an export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-disclosure"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-disclosure.h"

static void
clear_chapter (gpointer data)
{
  LoomDisclosureChapter *chapter = data;

  g_free (chapter->title);
}

static void
clear_model (gpointer data)
{
  LoomDisclosureModel *model = data;

  g_free (model->model);
}

LoomDisclosure *
loom_disclosure_new (const char *title)
{
  LoomDisclosure *self = g_new0 (LoomDisclosure, 1);

  self->title = g_strdup (title);
  self->chapters = g_array_new (FALSE, TRUE, sizeof (LoomDisclosureChapter));
  g_array_set_clear_func (self->chapters, clear_chapter);
  self->models = g_array_new (FALSE, TRUE, sizeof (LoomDisclosureModel));
  g_array_set_clear_func (self->models, clear_model);
  return self;
}

void
loom_disclosure_free (LoomDisclosure *self)
{
  if (self == NULL)
    return;
  g_free (self->title);
  g_array_unref (self->chapters);
  g_array_unref (self->models);
  g_free (self);
}

guint
loom_word_tally_total (const LoomWordTally *tally)
{
  g_return_val_if_fail (tally != NULL, 0);
  return tally->writer + tally->kept + tally->edited + tally->unknown;
}

/* The first of @values' largest, so that ties go to the earlier kind. */
static guint
index_of_largest (const guint64 *values,
                  guint          n)
{
  guint best = 0;

  for (guint i = 1; i < n; i++)
    if (values[i] > values[best])
      best = i;
  return best;
}

/**
 * loom_word_tally_shares:
 * @tally: words by origin
 *
 * The one rounding of every share the reports show, so that the four of a tally add up to
 * exactly 100 (all four 0 for an empty tally): a publisher reading 101 % would doubt the rest.
 * Largest remainder method: each kind first gets its share rounded down; the points still
 * missing from 100 go one each to the kinds with the largest remainders, ties to the earlier
 * kind in the tally's order (writer, kept, edited, unknown). 1/1/1/0 words give 34/33/33/0,
 * 0/1/1/1 give 0/34/33/33.
 *
 * A kind with words never reads 0 % when its exact share is half a percent or more: if the
 * remainders gave it nothing (as 6, 7 and 7 words beside 980: only two points are left over
 * for three kinds), it takes a point from the largest share, ties to the earlier kind. Under
 * half a percent, a kind with words reads 0 % unless its remainder earned it a point.
 *
 * Returns: @tally's four figures as whole percent of its total
 */
LoomWordTally
loom_word_tally_shares (const LoomWordTally *tally)
{
  guint64 words[4];
  guint64 percent[G_N_ELEMENTS (words)];
  guint64 remainder[G_N_ELEMENTS (words)];
  guint64 total = 0;
  guint64 left = 100;

  g_return_val_if_fail (tally != NULL, (LoomWordTally) { 0 });

  /* 64 bits: four large counts times 100 overflow a guint */
  words[0] = tally->writer;
  words[1] = tally->kept;
  words[2] = tally->edited;
  words[3] = tally->unknown;
  for (guint k = 0; k < G_N_ELEMENTS (words); k++)
    total += words[k];
  if (total == 0)
    return (LoomWordTally) { 0 };
  for (guint k = 0; k < G_N_ELEMENTS (words); k++)
    {
      percent[k] = words[k] * 100 / total;
      remainder[k] = words[k] * 100 % total;
      left -= percent[k];
    }
  /* the remainders add up to left × total, each under total: more kinds have one than there
   * are points left, so no kind gets two */
  for (; left > 0; left--)
    {
      guint k = index_of_largest (remainder, G_N_ELEMENTS (remainder));

      percent[k]++;
      remainder[k] = 0;
    }
  for (guint k = 0; k < G_N_ELEMENTS (words); k++)
    if (percent[k] == 0 && words[k] > 0 && words[k] * 200 >= total)
      {
        percent[index_of_largest (percent, G_N_ELEMENTS (percent))]--;
        percent[k] = 1;
      }
  return (LoomWordTally) { percent[0], percent[1], percent[2], percent[3] };
}

/* A cell of a Markdown table: a pipe or a line break would end it. */
static char *
cell (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      if (*p == '|')
        g_string_append (out, "\\|");
      else if (*p == '\n' || *p == '\r')
        g_string_append_c (out, ' ');
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * loom_disclosure_format_cost:
 * @unpriced: how many of the requests have no price
 *
 * Returns: (transfer full): @cost in US dollars with a point whatever the locale (the amounts
 *   are the server's), saying how many requests had no price
 */
char *
loom_disclosure_format_cost (double cost,
                             guint  unpriced)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.4f", cost);
  if (unpriced == 0)
    return g_strdup_printf ("$%s", buf);
  return g_strdup_printf (ngettext ("$%s (%u request without a price)",
                                    "$%s (%u requests without a price)", unpriced),
                          buf, unpriced);
}


static void
append_totals (GString             *out,
               const LoomWordTally *words)
{
  const LoomWordTally shares = loom_word_tally_shares (words);
  const struct { const char *label; guint value; guint share; } rows[] = {
    { N_("Written by the writer"), words->writer, shares.writer },
    { N_("Generated and kept unchanged"), words->kept, shares.kept },
    { N_("Generated, then edited by the writer"), words->edited, shares.edited },
    { N_("Origin unknown"), words->unknown, shares.unknown },
  };

  g_string_append_printf (out, "| | %s | %s |\n|---|---:|---:|\n", _("Words"), _("Share"));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_string_append_printf (out, "| %s | %u | %u %% |\n", _(rows[i].label), rows[i].value,
                            rows[i].share);
  g_string_append_printf (out, "| %s | %u | |\n\n", _("Total"), loom_word_tally_total (words));
}

static void
append_chapters (GString              *out,
                 const LoomDisclosure *self)
{
  if (self->chapters->len == 0)
    return;
  g_string_append_printf (out, "### %s\n\n| %s | %s | %s | %s | %s | %s |\n"
                          "|---|---:|---:|---:|---:|---:|\n", _("By chapter"), _("Chapter"),
                          _("Writer"), _("Generated, kept"), _("Generated, edited"),
                          _("Unknown"), _("Cost"));
  for (guint i = 0; i < self->chapters->len; i++)
    {
      const LoomDisclosureChapter *c = &g_array_index (self->chapters, LoomDisclosureChapter, i);
      g_autofree char *title = cell (c->title);
      g_autofree char *cost = loom_disclosure_format_cost (c->cost, c->unpriced);

      g_string_append_printf (out, "| %u. %s | %u | %u | %u | %u | %s |\n", c->number, title,
                              c->words.writer, c->words.kept, c->words.edited, c->words.unknown,
                              cost);
    }
  g_string_append_c (out, '\n');
}

static void
append_models (GString              *out,
               const LoomDisclosure *self)
{
  if (self->models->len == 0)
    {
      g_string_append_printf (out, "%s\n\n", _("No AI model was used for this story."));
      return;
    }
  g_string_append_printf (out, "### %s\n\n| %s | %s | %s | %s |\n|---|---:|---:|---:|\n",
                          _("Models"), _("Model"), _("Requests"), _("Generated words in the text"),
                          _("Cost"));
  for (guint i = 0; i < self->models->len; i++)
    {
      const LoomDisclosureModel *m = &g_array_index (self->models, LoomDisclosureModel, i);
      g_autofree char *name = cell (m->model);
      g_autofree char *cost = loom_disclosure_format_cost (m->cost, m->unpriced);

      g_string_append_printf (out, "| %s | %u | %u | %s |\n", name, m->requests, m->words, cost);
    }
  g_string_append_c (out, '\n');
}

/**
 * loom_disclosure_to_markdown:
 *
 * Returns: (transfer full): the report as a Markdown section with tables
 */
char *
loom_disclosure_to_markdown (const LoomDisclosure *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *cost = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  title = cell (self->title);
  g_string_append_printf (out, "## %s\n\n", _("AI Disclosure"));
  g_string_append_printf (out, _("Who wrote the words of “%s”, as Storyloom recorded it."),
                          title);
  g_string_append (out, "\n\n");
  append_totals (out, &self->words);
  append_chapters (out, self);
  append_models (out, self);
  cost = loom_disclosure_format_cost (self->cost, self->unpriced);
  g_string_append_printf (out, _("Total cost of the AI requests: %s."), cost);
  g_string_append (out, "\n\n");
  g_string_append (out, _("Words of unknown origin were written where Storyloom could not "
                          "follow them (by another program, in an import, or before it kept "
                          "track); they are not counted as the writer’s."));
  g_string_append_c (out, '\n');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * loom_disclosure_to_text:
 *
 * Returns: (transfer full): the report as plain paragraphs, one figure a line, for the
 *   appendix of an exported book
 */
char *
loom_disclosure_to_text (const LoomDisclosure *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *cost = NULL;
  const LoomWordTally *words;
  LoomWordTally shares;

  g_return_val_if_fail (self != NULL, NULL);

  words = &self->words;
  shares = loom_word_tally_shares (words);
  g_string_append_printf (out, _("Who wrote the words of “%s”, as Storyloom recorded it."),
                          self->title);
  g_string_append (out, "\n\n");
  g_string_append_printf (out, "%s: %u (%u %%)\n%s: %u (%u %%)\n%s: %u (%u %%)\n"
                          "%s: %u (%u %%)\n\n",
                          _("Written by the writer"), words->writer, shares.writer,
                          _("Generated and kept unchanged"), words->kept, shares.kept,
                          _("Generated, then edited by the writer"), words->edited,
                          shares.edited, _("Origin unknown"), words->unknown, shares.unknown);
  for (guint i = 0; i < self->models->len; i++)
    {
      const LoomDisclosureModel *m = &g_array_index (self->models, LoomDisclosureModel, i);

      g_string_append_printf (out, ngettext ("%s: %u generated word in the text\n",
                                             "%s: %u generated words in the text\n", m->words),
                              m->model, m->words);
    }
  if (self->models->len == 0)
    g_string_append_printf (out, "%s\n", _("No AI model was used for this story."));
  cost = loom_disclosure_format_cost (self->cost, self->unpriced);
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("Total cost of the AI requests: %s."), cost);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
