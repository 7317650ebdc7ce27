/* loom-store-search.c: search across a story's outlines and prose (issue 17)
 *
 * An FTS5 index (scene_search, schema 12) holds each scene's outline and prose. Triggers on
 * `scenes` only note which scenes changed (search_stale), whoever changed them — this program,
 * the command line, another window, an undo, a restore from the trash — so that a save costs
 * one small insert; a search first brings those scenes' index rows up to date. Should it not
 * be able to (a library opened elsewhere for writing, a damaged file), it reads the changed
 * scenes themselves as well, so that a search never misses text because of the index.
 *
 * The index only narrows the scenes down: the writer's query is searched as one phrase of
 * text (loom_search_fts_query ()), and loom_search_find () then finds the exact matches in
 * each candidate with the writer's case and whole-word options.
 *
 * Replace All changes the prose of every scene of a story in one transaction, keeping each
 * scene's earlier prose as a revision, and gives back what it changed so that the window can
 * put it back as one step of its undo history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-store-private.h"
#include "loom-store-search.h"

/* Chapters, then each chapter's scenes, walked along their indexes in story order: SQLite then
 * reads a scene's text only when the search comes to it, and the window's search, which stops
 * after its first 500 matches, does not load a million words into a sorter first. (Joined the
 * other way round, or ordered without the chapter's id, it sorts every candidate's text.) */
#define CANDIDATES \
  "SELECT s.id, c.chapter_number, s.scene_number, s.outline, s.prose" \
  " FROM chapters c CROSS JOIN scenes s ON s.chapter_id = c.id WHERE c.story_id = ?1"
#define IN_ORDER " ORDER BY c.chapter_number, c.id, s.scene_number"

static gboolean
run_all (LoomStore          *self,
         const char * const *statements,
         GError            **error)
{
  for (guint i = 0; statements[i] != NULL; i++)
    if (!_loom_store_run (self, error, _("updating the search index"), statements[i], ""))
      return FALSE;
  return TRUE;
}

/* Brings the index rows of the scenes changed since the last search up to date. */
static gboolean
catch_up (LoomStore  *self,
          GError    **error)
{
  static const char *const statements[] = {
    "DELETE FROM scene_search WHERE rowid IN (SELECT scene_id FROM search_stale)",
    "INSERT INTO scene_search (rowid, outline, prose)"
    " SELECT id, outline, prose FROM scenes WHERE id IN (SELECT scene_id FROM search_stale)",
    "DELETE FROM search_stale",
    NULL
  };
  const char *doing = _("updating the search index");
  gint64 stale = 0;

  if (!_loom_store_read_value (self, "SELECT EXISTS (SELECT 1 FROM search_stale)", &stale,
                               error))
    return FALSE;
  if (stale == 0)
    return TRUE;
  if (!_loom_store_begin (self, doing, error) || !run_all (self, statements, error) ||
      !_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);
  return TRUE;
}

/**
 * loom_store_rebuild_search:
 *
 * Builds the search index again from every scene, in one transaction: for a library whose
 * index is in doubt. Searching never needs it.
 *
 * Returns: %FALSE with @error set when the library could not be written
 */
gboolean
loom_store_rebuild_search (LoomStore  *self,
                           GError    **error)
{
  static const char *const statements[] = {
    "DELETE FROM scene_search",
    "INSERT INTO scene_search (rowid, outline, prose) SELECT id, outline, prose FROM scenes",
    "DELETE FROM search_stale",
    NULL
  };
  const char *doing = _("rebuilding the search index");

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);

  if (!_loom_store_begin (self, doing, error) || !run_all (self, statements, error) ||
      !_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);
  return TRUE;
}

static void
clear_match (gpointer data)
{
  LoomSearchMatch *match = data;

  g_free (match->snippet);
}

typedef struct
{
  const char       *query;
  LoomSearchFlags   flags;
  guint             limit;
  GArray           *matches;
  LoomSearchCounts *counts;   /* NULL: stop at the first match past the limit */
  gboolean          more;     /* a match past the limit was found */
} SearchRun;

static gboolean
limit_reached (SearchRun *run)
{
  return run->limit > 0 && run->matches->len >= run->limit;
}

/* Adds the matches in one field of a candidate and counts them; FALSE once a match past the
 * limit shows that there are more and nothing is to be counted. Past the limit, counting costs
 * no snippets. */
static gboolean
add_matches (SearchRun       *run,
             sqlite3_stmt    *stmt,
             LoomSearchField  field)
{
  const char *text = (const char *) sqlite3_column_text (stmt, field == LOOM_SEARCH_FIELD_PROSE ?
                                                         4 : 3);
  g_autoptr(GArray) spans = loom_search_find (text, run->query, run->flags);

  if (run->counts != NULL)
    {
      run->counts->n_matches += spans->len;
      if (field == LOOM_SEARCH_FIELD_PROSE)
        {
          run->counts->n_prose_matches += spans->len;
          run->counts->n_prose_scenes += spans->len > 0;
        }
    }
  for (guint i = 0; i < spans->len; i++)
    {
      const LoomSearchSpan *span = &g_array_index (spans, LoomSearchSpan, i);
      LoomSearchMatch match = {
        .scene_id = sqlite3_column_int64 (stmt, 0),
        .chapter_number = (guint) sqlite3_column_int64 (stmt, 1),
        .scene_number = (guint) sqlite3_column_int64 (stmt, 2),
        .field = field,
        .start = span->start,
        .length = span->length,
      };

      if (limit_reached (run))
        {
          run->more = TRUE;
          return run->counts != NULL;
        }
      match.snippet = loom_search_snippet (text, span, &match.snippet_start,
                                           &match.snippet_length);
      g_array_append_val (run->matches, match);
    }
  return TRUE;
}

static gboolean
add_scene_matches (sqlite3_stmt *stmt,
                   gpointer      data)
{
  SearchRun *run = data;
  guint before = run->counts != NULL ? run->counts->n_matches : 0;
  gboolean more = add_matches (run, stmt, LOOM_SEARCH_FIELD_OUTLINE) &&
                  add_matches (run, stmt, LOOM_SEARCH_FIELD_PROSE);

  if (run->counts != NULL && run->counts->n_matches > before)
    run->counts->n_scenes++;
  return more;
}

/* Calls @func on each scene of @story that may hold the query (columns: id, chapter number,
 * scene number, outline, prose), in story order, until it returns FALSE. */
typedef gboolean (*CandidateFunc) (sqlite3_stmt *stmt,
                                   gpointer      data);

static gboolean
read_candidates (LoomStore        *self,
                 LoomStory        *story,
                 const char       *fts_query,
                 CandidateFunc     func,
                 gpointer          data,
                 GError          **error)
{
  const char *doing = _("searching the story");
  const char *sql = fts_query != NULL ?
    CANDIDATES " AND (s.id IN (SELECT rowid FROM scene_search WHERE scene_search MATCH ?2)"
    " OR s.id IN (SELECT scene_id FROM search_stale))" IN_ORDER :
    CANDIDATES IN_ORDER;
  sqlite3_stmt *stmt = _loom_store_get_statement (self, sql, doing, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, loom_story_get_id (story));
  if (fts_query != NULL)
    sqlite3_bind_text (stmt, 2, fts_query, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!func (stmt, data))
      {
        rc = SQLITE_DONE;
        break;
      }
  return _loom_store_finish_statement (self, stmt, rc, NULL, doing, error);
}

/* Brings the index up to date before reading it. The changed scenes are read as candidates
 * anyway: a failure here costs only time. */
static void
prepare_index (LoomStore *self)
{
  g_autoptr(GError) error = NULL;

  if (!loom_store_is_damaged (self) && !catch_up (self, &error))
    g_debug ("Search index not brought up to date: %s", error->message);
}

/* The search behind the three public calls: @run's query, flags, limit and counts in, its
 * matches and more flag out. */
static GArray *
run_search (LoomStore  *self,
            LoomStory  *story,
            SearchRun  *run,
            GError    **error)
{
  g_autoptr(GArray) matches = NULL;
  g_autofree char *fts_query = NULL;

  if (run->counts != NULL)
    *run->counts = (LoomSearchCounts) { 0 };

  if (!_loom_store_check_open (self, error))
    return NULL;
  matches = g_array_new (FALSE, FALSE, sizeof (LoomSearchMatch));
  g_array_set_clear_func (matches, clear_match);
  if (*run->query == '\0')
    return g_steal_pointer (&matches);

  prepare_index (self);
  fts_query = loom_search_fts_query (run->query, run->flags);
  run->matches = matches;
  if (!read_candidates (self, story, fts_query, add_scene_matches, run, error))
    return NULL;
  return g_steal_pointer (&matches);
}

/**
 * loom_store_search:
 * @story: the story to search, outlines and prose
 * @query: what the writer typed, searched as text whatever characters it holds
 * @flags: whole words, case
 * @limit: the most matches to return, 0 for all of them
 *
 * Returns: (transfer full) (element-type LoomSearchMatch): the matches in story order (by
 *   chapter, scene, outline before prose, place in the text), or %NULL with @error set
 */
GArray *
loom_store_search (LoomStore        *self,
                   LoomStory        *story,
                   const char       *query,
                   LoomSearchFlags   flags,
                   guint             limit,
                   GError          **error)
{
  return loom_store_search_first (self, story, query, flags, limit, NULL, error);
}

/**
 * loom_store_search_first:
 * @limit: the most matches to return, 0 for all of them
 * @more: (out) (optional): whether the story holds more matches than those returned
 *
 * As loom_store_search(), and says whether it stopped short, without counting what it left:
 * a window lists the first few hundred matches of "the" and says there are more, and reading
 * the rest of a million words to count them would cost more than the listing.
 *
 * Returns: (transfer full) (element-type LoomSearchMatch): at most @limit matches, or %NULL
 *   with @error set
 */
GArray *
loom_store_search_first (LoomStore        *self,
                         LoomStory        *story,
                         const char       *query,
                         LoomSearchFlags   flags,
                         guint             limit,
                         gboolean         *more,
                         GError          **error)
{
  SearchRun run = { query, flags, limit, NULL, NULL, FALSE };
  GArray *matches;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  matches = run_search (self, story, &run, error);
  if (more != NULL)
    *more = matches != NULL && run.more;
  return matches;
}

/**
 * loom_store_search_counted:
 * @limit: the most matches to return, 0 for all of them
 * @counts: (out): every match, also those past @limit, counted
 *
 * As loom_store_search(), and counts what it does not list, in the prose apart: Replace All
 * names the number of matches and scenes it is about to change. Counting reads every scene
 * that may hold the query.
 *
 * Returns: (transfer full) (element-type LoomSearchMatch): at most @limit matches, or %NULL
 *   with @error set
 */
GArray *
loom_store_search_counted (LoomStore         *self,
                           LoomStory         *story,
                           const char        *query,
                           LoomSearchFlags    flags,
                           guint              limit,
                           LoomSearchCounts  *counts,
                           GError           **error)
{
  SearchRun run = { query, flags, limit, NULL, counts, FALSE };

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (counts != NULL, NULL);

  return run_search (self, story, &run, error);
}

/* ------------------------------------------------------------------------------------------ */
/* Replace All                                                                                */

static void
clear_replacement (gpointer data)
{
  LoomReplacement *replacement = data;

  g_free (replacement->before);
  g_free (replacement->after);
}

static GArray *
replacements_new (void)
{
  GArray *replacements = g_array_new (FALSE, FALSE, sizeof (LoomReplacement));

  g_array_set_clear_func (replacements, clear_replacement);
  return replacements;
}

typedef struct
{
  const char      *query;
  const char      *replacement;
  LoomSearchFlags  flags;
  GArray          *replacements;
} ReplaceRun;

static gboolean
add_replacement (sqlite3_stmt *stmt,
                 gpointer      data)
{
  ReplaceRun *run = data;
  const char *prose = (const char *) sqlite3_column_text (stmt, 4);
  LoomReplacement change = { .scene_id = sqlite3_column_int64 (stmt, 0) };

  change.after = loom_search_replace (prose, run->query, run->replacement, run->flags,
                                      &change.n_replaced);
  if (change.n_replaced == 0)
    {
      g_free (change.after);
      return TRUE;
    }
  change.before = g_strdup (prose);
  g_array_append_val (run->replacements, change);
  return TRUE;
}

/* Inside a write transaction: makes @text the prose of the scene @scene_id, keeping the prose
 * it replaces as a revision of @origin. *scene is the scene's mirror, NULL when it is gone. */
static gboolean
put_prose (LoomStore           *self,
           gint64               scene_id,
           const char          *text,
           LoomRevisionOrigin   origin,
           gint64               now,
           LoomScene          **scene,
           GError             **error)
{
  *scene = loom_store_lookup_scene (self, scene_id);
  if (*scene == NULL)
    return TRUE;
  if (loom_scene_get_status (*scene) == LOOM_SCENE_STATUS_GENERATING)
    {
      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                   _("Scene %u of chapter %u is being generated, so nothing was replaced. "
                     "Wait for the generation to finish and try again."),
                   loom_scene_get_number (*scene),
                   loom_chapter_get_number (loom_scene_get_chapter (*scene)));
      return FALSE;
    }
  return _loom_store_run (self, error, _("saving a revision"),
                          "INSERT INTO scene_revisions (scene_id, prose, origin, model, created_at,"
                          " author, written_at)"
                          " SELECT id, prose, ?2, prose_model, ?3, prose_origin, prose_at"
                          " FROM scenes WHERE id = ?1 AND prose IS NOT NULL"
                          " AND prose IS NOT ?4",
                          "isis", scene_id, loom_revision_origin_to_string (origin), now,
                          text) &&
         /* the replacement is what the writer asked for */
         _loom_store_track_prose (self, *scene, text, NULL, LOOM_SPAN_WRITER, 0, error) &&
         _loom_store_write_prose (self, *scene, text, now, LOOM_WORDS_WRITTEN, error) &&
         _loom_store_mark_writers_hand (self, *scene, now, error);
}

/* Inside a write transaction: writes each replacement's text (after, or before to undo);
 * @scenes gets their mirrors, to show the new prose once the transaction is committed. */
static gboolean
write_all (LoomStore          *self,
           GArray             *replacements,
           gboolean            after,
           LoomRevisionOrigin  origin,
           gint64              now,
           GPtrArray          *scenes,
           GError            **error)
{
  for (guint i = 0; i < replacements->len; i++)
    {
      const LoomReplacement *change = &g_array_index (replacements, LoomReplacement, i);
      LoomScene *scene = NULL;

      if (!put_prose (self, change->scene_id, after ? change->after : change->before, origin,
                      now, &scene, error))
        return FALSE;
      g_ptr_array_add (scenes, scene);
    }
  return TRUE;
}

static void
apply_all (GArray    *replacements,
           gboolean   after,
           gint64     now,
           GPtrArray *scenes)
{
  for (guint i = 0; i < replacements->len; i++)
    {
      const LoomReplacement *change = &g_array_index (replacements, LoomReplacement, i);

      if (scenes->pdata[i] != NULL)
        _loom_store_apply_prose (scenes->pdata[i], after ? change->after : change->before,
                                 now);
    }
}

/**
 * loom_store_replace_all:
 * @query: what to replace, found as loom_store_search() finds it (in the prose only)
 * @replacement: the text to put in its place
 *
 * Replaces every match of @query in the prose of @story's scenes, in one transaction. The
 * prose of each scene it changes is kept first as a revision ("replace"). Refused, changing
 * nothing, while a scene with a match is being generated.
 *
 * Returns: (transfer full) (element-type LoomReplacement): the scenes changed, with their
 *   prose before and after (empty when nothing matched), or %NULL with @error set
 */
GArray *
loom_store_replace_all (LoomStore        *self,
                        LoomStory        *story,
                        const char       *query,
                        const char       *replacement,
                        LoomSearchFlags   flags,
                        GError          **error)
{
  const char *doing = _("replacing the text");
  g_autoptr(GArray) replacements = replacements_new ();
  g_autoptr(GPtrArray) scenes = g_ptr_array_new ();
  g_autofree char *fts_query = NULL;
  ReplaceRun run = { query, replacement, flags, replacements };
  gint64 now = loom_now_ms ();

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);
  g_return_val_if_fail (query != NULL && replacement != NULL, NULL);

  if (!_loom_store_check_open (self, error) ||
      !loom_store_check_text (replacement, _("replacement"), error))
    return NULL;
  if (*query == '\0')
    return g_steal_pointer (&replacements);

  prepare_index (self);
  fts_query = loom_search_fts_query (query, flags);
  /* The texts are read and written in one transaction: nothing changes between. */
  if (!_loom_store_begin (self, doing, error) ||
      !read_candidates (self, story, fts_query, add_replacement, &run, error) ||
      !write_all (self, replacements, TRUE, LOOM_REVISION_REPLACE, now, scenes, error) ||
      !_loom_store_commit (self, doing, error))
    {
      _loom_store_rollback (self);
      return NULL;
    }
  apply_all (replacements, TRUE, now, scenes);
  return g_steal_pointer (&replacements);
}

/**
 * loom_store_put_back_replacements:
 * @replacements: (element-type LoomReplacement): what loom_store_replace_all() returned
 * @redo: %FALSE to put the prose before back (undo), %TRUE the prose after (redo)
 *
 * In one transaction; the prose each scene holds until then is kept as a revision
 * ("restore"), so that nothing typed since is lost. A scene deleted since is left alone.
 */
gboolean
loom_store_put_back_replacements (LoomStore  *self,
                                  GArray     *replacements,
                                  gboolean    redo,
                                  GError    **error)
{
  const char *doing = _("replacing the text");
  g_autoptr(GPtrArray) scenes = g_ptr_array_new ();
  gint64 now = loom_now_ms ();

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_STORE (self) && replacements != NULL, FALSE);

  if (!_loom_store_begin (self, doing, error) ||
      !write_all (self, replacements, redo,
                  redo ? LOOM_REVISION_REPLACE : LOOM_REVISION_RESTORE, now, scenes, error) ||
      !_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);
  apply_all (replacements, redo, now, scenes);
  return TRUE;
}
