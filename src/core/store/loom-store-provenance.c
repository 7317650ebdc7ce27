/* loom-store-provenance.c: who wrote each stretch of a scene's prose, in the library
 *
 * Each scene's provenance (loom-provenance.c) is kept in prose_provenance as one run-length
 * list, with the fingerprint of the prose it describes. Every write of the prose inside
 * the store says what it knows of the new text (_loom_store_track_prose ()): the editor hands
 * over the spans it kept in step with its buffer; a generation knows its whole answer is the
 * request's; the other writers (the command line, a restore, a replace, an AI edit) only know
 * what they added, and the spans of the text before are carried across a word diff. Prose
 * written where nobody tracked it (another program, a hand-edited file) no longer matches the
 * fingerprint: all of it then reads as unknown, never as the writer's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-disclosure.h"
#include "loom-store-private.h"
#include "loom-store-provenance.h"

/* Steps @sql, with @id as ?1, onto its first row and hands that to @take; a query without a
 * row takes nothing. */
static gboolean
read_first (LoomStore   *self,
            const char  *sql,
            gint64       id,
            void       (*take) (sqlite3_stmt *stmt, gpointer data),
            gpointer     data,
            GError     **error)
{
  const char *doing = _("reading the library");
  sqlite3_stmt *stmt = _loom_store_get_statement (self, sql, doing, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    take (stmt, data);
  return _loom_store_finish_statement (self, stmt, rc, NULL, doing, error);
}

static void
take_text (sqlite3_stmt *stmt,
           gpointer      text)
{
  if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    *(char **) text = g_strndup ((const char *) sqlite3_column_text (stmt, 0),
                                 sqlite3_column_bytes (stmt, 0));
}

static gboolean
read_text (LoomStore   *self,
           const char  *sql,
           gint64       id,
           char       **text,
           GError     **error)
{
  *text = NULL;
  return read_first (self, sql, id, take_text, text, error);
}

/* The provenance of @prose, the text scene @scene_id holds: the stored spans when they
 * describe it, else all of it unknown. */
static LoomProvenance *
read_provenance_of (LoomStore   *self,
                    gint64       scene_id,
                    const char  *prose,
                    GError     **error)
{
  const char *doing = _("reading the library");
  g_autofree char *fingerprint = NULL;
  g_autoptr(LoomProvenance) spans = NULL;
  glong length = loom_provenance_count_chars (prose, &fingerprint);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _loom_store_get_statement (self, "SELECT spans FROM prose_provenance"
                                    " WHERE scene_id = ?1 AND fingerprint = ?2", doing, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, scene_id);
  sqlite3_bind_text (stmt, 2, fingerprint, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    spans = loom_provenance_new_from_string ((const char *) sqlite3_column_text (stmt, 0));
  if (!_loom_store_finish_statement (self, stmt, rc, NULL, doing, error))
    return NULL;
  /* none, unreadable, or not this text's (another program changed the prose) */
  if (spans == NULL || (glong) loom_provenance_get_length (spans) != length)
    return loom_provenance_new (length, LOOM_SPAN_UNKNOWN, 0);
  return g_steal_pointer (&spans);
}

static gboolean
write_spans (LoomStore       *self,
             gint64           scene_id,
             const char      *fingerprint,
             LoomProvenance  *spans,
             GError         **error)
{
  g_autofree char *text = loom_provenance_to_string (spans);

  return _loom_store_run (self, error, _("saving the prose"),
                          "INSERT INTO prose_provenance (scene_id, fingerprint, spans)"
                          " VALUES (?1, ?2, ?3) ON CONFLICT (scene_id) DO UPDATE"
                          " SET fingerprint = excluded.fingerprint, spans = excluded.spans",
                          "iss", scene_id, fingerprint, text);
}

/* Inside a write transaction: revision @revision_id keeps @spans, the origins of its text. */
gboolean
_loom_store_write_revision_spans (LoomStore       *self,
                                  gint64           revision_id,
                                  LoomProvenance  *spans,
                                  GError         **error)
{
  g_autofree char *text = loom_provenance_to_string (spans);

  return _loom_store_run (self, error, _("saving a revision"),
                          "INSERT OR REPLACE INTO revision_provenance (revision_id, spans)"
                          " VALUES (?1, ?2)", "is", revision_id, text);
}

/* Inside a write transaction, when revision @revision_id has just kept @prose, the text scene
 * @scene holds: the revision keeps the scene's spans too, if they describe that text. */
gboolean
_loom_store_keep_revision_spans (LoomStore   *self,
                                 LoomScene   *scene,
                                 const char  *prose,
                                 gint64       revision_id,
                                 GError     **error)
{
  g_autofree char *fingerprint = loom_provenance_fingerprint (prose);

  return _loom_store_run (self, error, _("saving a revision"),
                          "INSERT OR REPLACE INTO revision_provenance (revision_id, spans)"
                          " SELECT ?2, spans FROM prose_provenance"
                          " WHERE scene_id = ?1 AND fingerprint = ?3",
                          "iis", loom_scene_get_id (scene), revision_id, fingerprint);
}

/* The origins revision @revision_id kept of its text @prose, or %NULL (without @error) when
 * it kept none that fit. */
gboolean
_loom_store_read_revision_spans (LoomStore        *self,
                                 gint64            revision_id,
                                 const char       *prose,
                                 LoomProvenance  **spans,
                                 GError          **error)
{
  g_autofree char *text = NULL;
  g_autoptr(LoomProvenance) read = NULL;

  *spans = NULL;
  if (!read_text (self, "SELECT spans FROM revision_provenance WHERE revision_id = ?1",
                  revision_id, &text, error))
    return FALSE;
  read = loom_provenance_new_from_string (text);
  if (read != NULL &&
      (glong) loom_provenance_get_length (read) == loom_provenance_count_chars (prose, NULL))
    *spans = g_steal_pointer (&read);
  return TRUE;
}

/**
 * _loom_store_track_prose:
 * @prose: (nullable): the prose about to be written over what the row holds
 * @spans: (nullable): the provenance of @prose when the caller kept it (the editor, a
 *   generation); ignored unless its length is @prose's
 * @inserted: without @spans, the origin of the words @prose adds to what the row holds
 * @generation_id: the request that wrote them, for @inserted %LOOM_SPAN_AI
 *
 * Inside a write transaction, before the row's prose changes: stores the provenance of
 * @prose. Without @spans it is worked out from the row's prose and its stored provenance.
 */
gboolean
_loom_store_track_prose (LoomStore       *self,
                         LoomScene       *scene,
                         const char      *prose,
                         LoomProvenance  *spans,
                         LoomSpanOrigin   inserted,
                         gint64           generation_id,
                         GError         **error)
{
  g_autofree char *fingerprint = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *held = NULL;
  g_autoptr(LoomProvenance) before = NULL;
  g_autoptr(LoomProvenance) after = NULL;
  gint64 id = loom_scene_get_id (scene);
  glong length;

  if (prose != NULL && *prose == '\0')
    prose = NULL;
  length = loom_provenance_count_chars (prose, &fingerprint);
  if (spans != NULL && (glong) loom_provenance_get_length (spans) == length)
    return write_spans (self, id, fingerprint, spans, error);

  if (!read_text (self, "SELECT fingerprint FROM prose_provenance WHERE scene_id = ?1", id,
                  &stored, error))
    return FALSE;
  /* Already the provenance of @prose: a stopped generation puts the earlier text back. */
  if (g_strcmp0 (stored, fingerprint) == 0)
    return TRUE;
  if (!read_text (self, "SELECT prose FROM scenes WHERE id = ?1", id, &held, error) ||
      (before = read_provenance_of (self, id, held, error)) == NULL)
    return FALSE;
  after = loom_provenance_rebuild (before, held, prose, inserted, generation_id);
  return write_spans (self, id, fingerprint, after, error);
}

/* The request streaming into @scene (a scene draft still running), or 0. Its spans are not
 * written while it streams: a stop or a crash puts the earlier prose back, and the stored spans
 * must still be that prose's. */
static gboolean
read_streaming (LoomStore   *self,
                LoomScene   *scene,
                gint64      *generation_id,
                GError     **error)
{
  const char *doing = _("reading the library");
  sqlite3_stmt *stmt;
  int rc;

  *generation_id = 0;
  if (loom_scene_get_status (scene) != LOOM_SCENE_STATUS_GENERATING)
    return TRUE;
  stmt = _loom_store_get_statement (self, "SELECT max (id) FROM generations WHERE scene_id = ?1"
                                    " AND kind = 'scene' AND outcome = 'running'", doing, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, loom_scene_get_id (scene));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *generation_id = sqlite3_column_int64 (stmt, 0);
  return _loom_store_finish_statement (self, stmt, rc, NULL, doing, error);
}

/**
 * loom_store_get_provenance:
 *
 * Returns: (transfer full): who wrote each character of @scene's prose as the library holds
 *   it; prose changed where nobody tracked it is unknown, and prose still streaming in is all
 *   the running request's. %NULL with @error set when the library cannot be read.
 */
LoomProvenance *
loom_store_get_provenance (LoomStore  *self,
                           LoomScene  *scene,
                           GError    **error)
{
  gint64 streaming;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  if (!_loom_store_check_open (self, error))
    return NULL;
  if (!loom_scene_load_prose (scene, error) || !read_streaming (self, scene, &streaming, error))
    return NULL;
  if (streaming > 0)
    return loom_provenance_new (loom_provenance_count_chars (loom_scene_get_prose (scene), NULL),
                                LOOM_SPAN_AI, streaming);
  return read_provenance_of (self, loom_scene_get_id (scene), loom_scene_get_prose (scene),
                             error);
}

/* ---------------------------------------------------------------------------------------- */
/* The disclosure report                                                                    */

static void
add_tally (LoomWordTally       *to,
           const LoomWordTally *from)
{
  to->writer += from->writer;
  to->kept += from->kept;
  to->edited += from->edited;
  to->unknown += from->unknown;
}

typedef struct
{
  double *cost;
  guint  *unpriced;
} Cost;

static void
take_cost (sqlite3_stmt *stmt,
           gpointer      data)
{
  Cost *cost = data;

  *cost->cost = sqlite3_column_double (stmt, 0);
  *cost->unpriced = sqlite3_column_int (stmt, 1);
}

/* @sql sums over the requests, so that it always answers one row. */
static gboolean
read_cost (LoomStore   *self,
           const char  *sql,
           gint64       id,
           double      *cost,
           guint       *unpriced,
           GError     **error)
{
  Cost out = { cost, unpriced };

  return read_first (self, sql, id, take_cost, &out, error);
}

/* Requests that ended without a price (a local server, a failure before the usage came) count
 * as unpriced rather than as free. */
#define COST_COLUMNS \
  "coalesce (sum (g.cost), 0), sum (g.cost IS NULL AND g.outcome != 'running')"

static gboolean
tally_chapter (LoomStore             *self,
               LoomChapter           *chapter,
               LoomDisclosureChapter *row,
               GArray                *by_generation,
               GError               **error)
{
  GListModel *scenes = loom_chapter_get_scenes (chapter);

  for (guint i = 0; i < g_list_model_get_n_items (scenes); i++)
    {
      g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, i);
      g_autoptr(LoomProvenance) spans = loom_store_get_provenance (self, scene, error);

      if (spans == NULL)
        return FALSE;
      loom_provenance_tally (spans, loom_scene_get_prose (scene), &row->words, by_generation);
    }
  return read_cost (self, "SELECT " COST_COLUMNS " FROM generations g"
                    " JOIN scenes s ON s.id = g.scene_id WHERE s.chapter_id = ?1",
                    loom_chapter_get_id (chapter), &row->cost, &row->unpriced, error);
}

static LoomDisclosureModel *
find_model (GArray     *models,
            const char *name)
{
  for (guint i = 0; i < models->len; i++)
    {
      LoomDisclosureModel *model = &g_array_index (models, LoomDisclosureModel, i);

      if (g_strcmp0 (model->model, name) == 0)
        return model;
    }
  return NULL;
}

/* Every model the story's requests went to, with their cost, and the words of each still in
 * the prose. */
static gboolean
read_models (LoomStore       *self,
             LoomStory       *story,
             GArray          *by_generation,
             LoomDisclosure  *report,
             GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _loom_store_get_statement (self, "SELECT g.model, count (*), " COST_COLUMNS
                                    " FROM generations g WHERE g.story_id = ?1"
                                    " GROUP BY g.model ORDER BY g.model",
                                    _("reading the library"), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, loom_story_get_id (story));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LoomDisclosureModel model = { 0 };

      model.model = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      model.requests = sqlite3_column_int (stmt, 1);
      model.cost = sqlite3_column_double (stmt, 2);
      model.unpriced = sqlite3_column_int (stmt, 3);
      g_array_append_val (report->models, model);
    }
  if (!_loom_store_finish_statement (self, stmt, rc, NULL, _("reading the library"), error))
    return FALSE;

  for (guint i = 0; i < by_generation->len; i++)
    {
      const LoomGenerationWords *g = &g_array_index (by_generation, LoomGenerationWords, i);
      g_autofree char *name = NULL;
      LoomDisclosureModel *model;

      if (!read_text (self, "SELECT model FROM generations WHERE id = ?1", g->generation_id,
                      &name, error))
        return FALSE;
      model = find_model (report->models, name);
      if (model != NULL)
        model->words += g->words;
      else
        report->unattributed += g->words;
    }
  return TRUE;
}

/**
 * loom_store_get_disclosure:
 *
 * Returns: (transfer full): @story's words by who wrote them, per chapter and in total, the
 *   models its requests went to and what they cost; %NULL with @error set
 */
LoomDisclosure *
loom_store_get_disclosure (LoomStore  *self,
                           LoomStory  *story,
                           GError    **error)
{
  g_autoptr(LoomDisclosure) report = NULL;
  g_autoptr(GArray) by_generation = g_array_new (FALSE, FALSE, sizeof (LoomGenerationWords));
  GListModel *chapters;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);

  if (!_loom_store_check_open (self, error))
    return NULL;

  report = loom_disclosure_new (loom_story_get_title (story));
  chapters = loom_story_get_chapters (story);
  for (guint i = 0; i < g_list_model_get_n_items (chapters); i++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, i);
      LoomDisclosureChapter row = { 0 };

      row.number = loom_chapter_get_number (chapter);
      row.title = g_strdup (loom_chapter_get_title (chapter));
      g_array_append_val (report->chapters, row);
      if (!tally_chapter (self, chapter,
                          &g_array_index (report->chapters, LoomDisclosureChapter, i),
                          by_generation, error))
        return NULL;
      add_tally (&report->words,
                 &g_array_index (report->chapters, LoomDisclosureChapter, i).words);
    }

  if (!read_cost (self, "SELECT " COST_COLUMNS " FROM generations g WHERE g.story_id = ?1",
                  loom_story_get_id (story), &report->cost, &report->unpriced, error) ||
      !read_models (self, story, by_generation, report, error))
    return NULL;
  return g_steal_pointer (&report);
}
