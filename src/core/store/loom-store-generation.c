/* loom-store-generation.c: what generation writes — status, streamed prose, revisions, usage
 *
 * Each step is one transaction, so that whatever happens to the request or the process, a
 * scene's prose is either the one from before the job or the finished one, and every text that
 * was replaced or paid for is kept as a revision.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store-generation"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-store-private.h"
#include "loom-words.h"

static gboolean
check_scene (LoomStore  *self,
             LoomScene  *scene,
             GError    **error)
{
  if (!_loom_store_check_open (self, error))
    return FALSE;
  if (loom_store_lookup_scene (self, scene->id) != scene)
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND,
                           _("The scene no longer exists in the library."));
      return FALSE;
    }
  return TRUE;
}

/* A revision whose text is not the scene's row: a partial generation, or a text given. */
static gboolean
insert_revision (LoomStore           *self,
                 LoomScene           *scene,
                 const char          *prose,
                 LoomRevisionOrigin   origin,
                 const char          *model,
                 LoomProseOrigin      author,
                 GError             **error)
{
  gint64 now = loom_now_ms ();

  return _loom_store_run (self, error, _("saving a revision"),
                          "INSERT INTO scene_revisions (scene_id, prose, origin, model, created_at,"
                          " author, written_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)",
                          "isssis", scene->id, prose, loom_revision_origin_to_string (origin),
                          model, now, loom_prose_origin_to_string (author));
}

/**
 * loom_store_begin_generation:
 *
 * @inputs: (nullable): a description of what the prompt was built from, kept with the request
 *   so that later changes to those inputs can be noticed
 *
 * Marks @scene as generating and records the request. Prose already there is saved as a
 * revision first and counts as a regeneration.
 *
 * Returns: the id of the request's row in `generations`, or 0 with @error set
 */
gint64
loom_store_begin_generation (LoomStore   *self,
                             LoomScene   *scene,
                             const char  *model,
                             const char  *inputs,
                             GError     **error)
{
  const char *doing = _("starting the generation");
  gboolean has_prose;
  gint64 revision_id = 0;
  gint64 id;

  g_return_val_if_fail (LOOM_IS_SCENE (scene), 0);
  g_return_val_if_fail (model != NULL, 0);

  if (!check_scene (self, scene, error) || !loom_scene_load_prose (scene, error))
    return 0;
  if (scene->status == LOOM_SCENE_STATUS_GENERATING)
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                           _("This scene is already being generated."));
      return 0;
    }

  has_prose = scene->prose != NULL && *scene->prose != '\0';
  if (!_loom_store_begin (self, doing, error))
    return 0;
  if (has_prose)
    {
      if (!_loom_store_archive_prose (self, scene, scene->prose, LOOM_REVISION_GENERATION,
                                      error) ||
          !_loom_store_run (self, error, doing,
                            "UPDATE scenes SET regeneration_count = regeneration_count + 1"
                            " WHERE id = ?1", "i", scene->id))
        return _loom_store_rollback (self);
      revision_id = sqlite3_last_insert_rowid (_loom_store_get_db (self));
    }
  if (!_loom_store_run (self, error, doing,
                        "UPDATE scenes SET status = 'generating', error_message = NULL"
                        " WHERE id = ?1", "i", scene->id) ||
      !_loom_store_run (self, error, doing,
                        "INSERT INTO generations (scene_id, story_id, kind, model, started_at,"
                        " revision_id, inputs)"
                        " VALUES (?1, ?2, 'scene', ?3, ?4, nullif (?5, 0), ?6)",
                        "iisiis", scene->id, scene->chapter->story->id, model, loom_now_ms (),
                        revision_id, inputs))
    return _loom_store_rollback (self);

  id = sqlite3_last_insert_rowid (_loom_store_get_db (self));
  if (!_loom_store_commit (self, doing, error))
    return 0;
  _loom_store_hold_generating (self);

  if (has_prose)
    _loom_scene_add_regeneration (scene);
  scene->generating_here = TRUE;
  _loom_scene_set_status (scene, LOOM_SCENE_STATUS_GENERATING, NULL);
  return id;
}

/* Inside the transaction of a generation's write: prose another program wrote into the
 * scene while it streamed here is kept as a revision. What this store flushed last is always a
 * beginning of the streamed text, so anything else in the row came from elsewhere. */
static gboolean
keep_written_elsewhere (LoomStore   *self,
                        LoomScene   *scene,
                        const char  *replacement,
                        gboolean    *kept,
                        gint64      *stamp,
                        GError     **error)
{
  g_autofree char *theirs = NULL;
  gboolean changed = FALSE;

  if (!_loom_store_read_elsewhere (self, scene, &changed, &theirs, stamp, error))
    return FALSE;
  if (!changed || theirs == NULL || g_str_has_prefix (scene->prose ? scene->prose : "", theirs))
    return TRUE;
  return _loom_store_keep_elsewhere (self, scene, theirs, replacement, kept, error);
}

/**
 * loom_store_flush_prose:
 *
 * Stores the prose streamed so far (loom_scene_stream_prose(), loom_scene_stream_append()),
 * with its word count. Each call costs time in proportion to the prose's length: a caller
 * streaming a long answer calls it less often as the prose grows.
 */
gboolean
loom_store_flush_prose (LoomStore  *self,
                        LoomScene  *scene,
                        GError    **error)
{
  const char *doing = _("saving the prose");
  gboolean kept = FALSE;
  gint64 now;

  g_return_val_if_fail (LOOM_IS_SCENE (scene), FALSE);

  if (!check_scene (self, scene, error))
    return FALSE;
  if (!_loom_store_begin (self, doing, error) ||
      !keep_written_elsewhere (self, scene, scene->prose, &kept, &now, error) ||
      !_loom_store_write_prose (self, scene, scene->prose, now, LOOM_WORDS_ACCEPTED,
                                    error) ||
      !_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);
  /* The text is the scene's own: only its word count and time change. */
  _loom_store_apply_prose (scene, scene->prose, now);
  if (kept)
    _loom_store_emit_prose_conflict (self, scene);
  return TRUE;
}

static gboolean
update_request (LoomStore                *self,
                gint64                    generation_id,
                const LoomGenerationEnd  *end,
                GError                  **error)
{
  static const char *const outcomes[] = { "complete", "error", "cancelled" };
  g_autofree char *cost = NULL;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* The cost goes through text so that no locale turns its decimal point into a comma. */
  if (end->cost >= 0)
    cost = g_strdup (g_ascii_dtostr (buf, sizeof buf, end->cost));

  return _loom_store_run (self, error, _("recording the request"),
                          "UPDATE generations SET finished_at = ?1,"
                          " first_token_at = nullif (?2, 0), prompt_tokens = nullif (?3, -1),"
                          " completion_tokens = nullif (?4, -1),"
                          " cost = CAST (?5 AS REAL), outcome = ?6, error = ?7 WHERE id = ?8",
                          "iiiisssi", loom_now_ms (), end->first_token_at, end->prompt_tokens,
                          end->completion_tokens, cost, outcomes[end->outcome],
                          end->outcome == LOOM_GENERATION_ERROR ? end->error_message : NULL,
                          generation_id);
}

/* The partial text just kept as a revision is all the request's. */
static gboolean
keep_partial_spans (LoomStore   *self,
                    gint64       generation_id,
                    const char  *partial,
                    GError     **error)
{
  g_autoptr(LoomProvenance) spans =
    loom_provenance_new (g_utf8_strlen (partial, -1), LOOM_SPAN_AI, generation_id);

  return _loom_store_write_revision_spans (self,
                                           sqlite3_last_insert_rowid (_loom_store_get_db (self)),
                                           spans, error);
}

/* Inside the transaction that ends a generation: a complete answer is all the request's;
 * stopped, the scene gets back the earlier prose, whose spans streaming left alone. */
static gboolean
track_generated (LoomStore                *self,
                 LoomScene                *scene,
                 gint64                    generation_id,
                 const LoomGenerationEnd  *end,
                 GError                  **error)
{
  g_autoptr(LoomProvenance) spans = NULL;

  if (end->outcome == LOOM_GENERATION_COMPLETE)
    spans = loom_provenance_new (g_utf8_strlen (end->prose ? end->prose : "", -1),
                                 LOOM_SPAN_AI, generation_id);
  return _loom_store_track_prose (self, scene, end->prose, spans, LOOM_SPAN_UNKNOWN, 0, error);
}

/**
 * loom_store_end_generation:
 *
 * Finishes a generation in one transaction: on success the new prose and the status complete;
 * on error or cancel the earlier prose and @end's status, with what had been written kept as a
 * revision of origin "partial"; and the request's row with its usage.
 */
gboolean
loom_store_end_generation (LoomStore                *self,
                           LoomScene                *scene,
                           gint64                    generation_id,
                           const LoomGenerationEnd  *end,
                           GError                  **error)
{
  const char *doing = _("finishing the generation");
  LoomSceneStatus status;
  const char *message = NULL;
  gboolean kept = FALSE;
  gint64 now;

  g_return_val_if_fail (LOOM_IS_SCENE (scene), FALSE);
  g_return_val_if_fail (end != NULL, FALSE);

  /* Whatever happens next, this request no longer writes into the scene. */
  if (self != NULL && generation_id > 0 && self->n_generating > 0)
    _loom_store_release_generating (self);

  if (!check_scene (self, scene, error) ||
      !loom_store_check_text (end->prose, _("prose"), error) ||
      !loom_store_check_text (end->partial, _("prose"), error))
    return FALSE;

  if (end->outcome == LOOM_GENERATION_COMPLETE)
    status = LOOM_SCENE_STATUS_COMPLETE;
  else
    status = end->status;
  if (status == LOOM_SCENE_STATUS_ERROR)
    message = end->error_message;

  now = MAX (loom_now_ms (), scene->updated_at + 1);
  if (!_loom_store_begin (self, doing, error) ||
      (end->outcome != LOOM_GENERATION_COMPLETE && end->partial != NULL &&
       *end->partial != '\0' &&
       (!insert_revision (self, scene, end->partial, LOOM_REVISION_PARTIAL, end->model,
                          LOOM_PROSE_PARTIAL, error) ||
        !keep_partial_spans (self, generation_id, end->partial, error))) ||
      (scene->generating_here &&
       !keep_written_elsewhere (self, scene, end->prose, &kept, &now, error)) ||
      !track_generated (self, scene, generation_id, end, error) ||
      !_loom_store_write_prose (self, scene, end->prose, now, LOOM_WORDS_ACCEPTED,
                                    error) ||
      /* Streaming left the origin alone: stopped, the scene holds the earlier prose again. */
      (end->outcome == LOOM_GENERATION_COMPLETE &&
       (!_loom_store_set_prose_origin (self, scene, LOOM_PROSE_GENERATED, end->model, now,
                                       error) ||
        !_loom_store_record_inputs (self, scene, end->inputs, error))) ||
      !_loom_store_run (self, error, doing,
                        "UPDATE scenes SET status = ?1, error_message = ?2 WHERE id = ?3",
                        "ssi", loom_scene_status_to_string (status), message, scene->id) ||
      (generation_id > 0 && !update_request (self, generation_id, end, error)) ||
      !_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);

  scene->generating_here = FALSE;
  _loom_store_apply_prose (scene, end->prose, now);
  _loom_scene_set_status (scene, status, message);
  if (end->outcome == LOOM_GENERATION_COMPLETE)
    _loom_store_inputs_settled (self, scene);
  if (kept)
    _loom_store_emit_prose_conflict (self, scene);
  return TRUE;
}

/**
 * loom_store_record_request:
 * @kind: "outline" or "characters"
 *
 * Records a request about a whole story, such as an outline, before it is sent.
 *
 * Returns: the row's id, or 0 with @error set
 */
gint64
loom_store_record_request (LoomStore   *self,
                           LoomStory   *story,
                           const char  *kind,
                           const char  *model,
                           GError     **error)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), 0);
  g_return_val_if_fail (LOOM_IS_STORY (story), 0);

  return _loom_store_insert_request (self, story->id, 0, kind, model, error);
}

/* The row of a request before it is sent; @scene_id 0 for one about the whole story. */
gint64
_loom_store_insert_request (LoomStore   *self,
                            gint64       story_id,
                            gint64       scene_id,
                            const char  *kind,
                            const char  *model,
                            GError     **error)
{
  if (!_loom_store_run (self, error, _("recording the request"),
                        "INSERT INTO generations (scene_id, story_id, kind, model, started_at)"
                        " VALUES (nullif (?1, 0), ?2, ?3, ?4, ?5)",
                        "iissi", scene_id, story_id, kind, model, loom_now_ms ()))
    return 0;
  return sqlite3_last_insert_rowid (_loom_store_get_db (self));
}

gboolean
loom_store_finish_request (LoomStore                *self,
                           gint64                    generation_id,
                           const LoomGenerationEnd  *end,
                           GError                  **error)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);

  return update_request (self, generation_id, end, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Revisions                                                                                */

#define REVISION_COLUMNS "id, prose, origin, model, created_at, author, written_at"

static LoomRevision *
read_revision (sqlite3_stmt *stmt,
               LoomScene    *scene)
{
  LoomRevisionOrigin origin = LOOM_REVISION_EDIT;

  loom_revision_origin_from_string ((const char *) sqlite3_column_text (stmt, 2), &origin);
  return loom_revision_new (sqlite3_column_int64 (stmt, 0), scene->id,
                            (const char *) sqlite3_column_text (stmt, 1), origin,
                            (const char *) sqlite3_column_text (stmt, 3),
                            sqlite3_column_int64 (stmt, 4),
                            loom_prose_origin_from_string (
                              (const char *) sqlite3_column_text (stmt, 5)),
                            sqlite3_column_int64 (stmt, 6));
}

/* The one revision of @scene that @sql (binding the scene's id as ?1 and a @revision_id > 0
 * as ?2) selects, if any. */
static LoomRevision *
read_one_revision (LoomStore   *self,
                   LoomScene   *scene,
                   const char  *sql,
                   gint64       revision_id,
                   GError     **error)
{
  const char *doing = _("reading the revisions");
  LoomRevision *revision = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!check_scene (self, scene, error) ||
      (stmt = _loom_store_get_statement (self, sql, doing, error)) == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, scene->id);
  if (revision_id > 0)
    sqlite3_bind_int64 (stmt, 2, revision_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    revision = read_revision (stmt, scene);
  _loom_store_finish_statement (self, stmt, rc, NULL, doing, error);
  return revision;
}

/**
 * loom_store_get_replaced_revision:
 *
 * The revision that keeps the prose @scene's last completed generation replaced, so that the
 * replacement can be undone with loom_store_restore_revision().
 *
 * Returns: (transfer full) (nullable): the revision, or %NULL when that generation replaced
 *   nothing (or with @error set)
 */
LoomRevision *
loom_store_get_replaced_revision (LoomStore  *self,
                                  LoomScene  *scene,
                                  GError    **error)
{
  static const char sql[] =
    "SELECT v.id, v.prose, v.origin, v.model, v.created_at, v.author, v.written_at"
    " FROM generations g JOIN scene_revisions v ON v.id = g.revision_id"
    " WHERE g.id = (SELECT max (id) FROM generations WHERE scene_id = ?1"
    " AND kind = 'scene' AND outcome = 'complete')";

  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  return read_one_revision (self, scene, sql, 0, error);
}

/**
 * loom_store_get_stopped_partial:
 *
 * What @scene's last generation had written when it was stopped, failed or was interrupted,
 * kept as a revision of origin "partial" (the scene itself went back to its earlier prose),
 * while the writer has not answered the offer to keep it: see
 * loom_store_answer_stopped_partial(). Restoring any text into the scene and a new generation
 * answer it too.
 *
 * Returns: (transfer full) (nullable): the revision, or %NULL when the last generation ended
 *   otherwise, had written nothing or was answered (or with @error set)
 */
LoomRevision *
loom_store_get_stopped_partial (LoomStore  *self,
                                LoomScene  *scene,
                                GError    **error)
{
  static const char sql[] =
    "SELECT " REVISION_COLUMNS " FROM scene_revisions"
    " WHERE scene_id = ?1 AND origin = 'partial' AND created_at >= (SELECT started_at"
    "   FROM generations WHERE id = (SELECT max (id) FROM generations WHERE scene_id = ?1"
    "   AND kind = 'scene')"
    "   AND outcome IN ('cancelled', 'error', 'interrupted') AND partial_answered_at IS NULL)"
    " ORDER BY id DESC LIMIT 1";

  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  return read_one_revision (self, scene, sql, 0, error);
}

/* The scene @revision_id belongs to, read before the revision itself: looking the scene up may
 * read the library with statements of its own. */
static LoomScene *
scene_of_revision (LoomStore  *self,
                   gint64      revision_id,
                   GError    **error)
{
  const char *doing = _("reading the revisions");
  gint64 scene_id = 0;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _loom_store_get_statement (self, "SELECT scene_id FROM scene_revisions WHERE id = ?1",
                                    doing, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, revision_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    scene_id = sqlite3_column_int64 (stmt, 0);
  if (!_loom_store_finish_statement (self, stmt, rc, NULL, doing, error))
    return NULL;
  return scene_id > 0 ? loom_store_lookup_scene (self, scene_id) : NULL;
}

#define ANSWER_PARTIAL_SQL \
  "UPDATE generations SET partial_answered_at = ?1 WHERE scene_id = ?2" \
  " AND partial_answered_at IS NULL AND outcome IN ('cancelled', 'error', 'interrupted')"

/**
 * loom_store_answer_stopped_partial:
 *
 * The writer answered the offer of what @scene's stopped or failed generation had written
 * (Discard: the text stays in the history; Keep restores it, which answers by itself):
 * loom_store_get_stopped_partial() no longer returns it, in this program or another.
 */
gboolean
loom_store_answer_stopped_partial (LoomStore  *self,
                                   LoomScene  *scene,
                                   GError    **error)
{
  g_return_val_if_fail (LOOM_IS_SCENE (scene), FALSE);

  return check_scene (self, scene, error) &&
         _loom_store_run (self, error, _("saving the scene’s history"), ANSWER_PARTIAL_SQL,
                          "ii", loom_now_ms (), scene->id);
}

/**
 * loom_store_lookup_revision:
 *
 * The revision with @id, whichever scene it belongs to, for the command line's `revision`
 * commands. A revision of a scene in the trash is not found: its scene has to come back first.
 *
 * Returns: (transfer full): the revision, or %NULL with @error set (%LOOM_STORE_ERROR_NOT_FOUND
 *   when the library holds no such revision)
 */
LoomRevision *
loom_store_lookup_revision (LoomStore  *self,
                            gint64      id,
                            GError    **error)
{
  static const char sql[] =
    "SELECT " REVISION_COLUMNS " FROM scene_revisions WHERE scene_id = ?1 AND id = ?2";
  g_autoptr(GError) local_error = NULL;
  g_autofree char *number = NULL;
  LoomRevision *revision;
  LoomScene *scene;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);

  if (!_loom_store_check_open (self, error))
    return NULL;
  if ((scene = scene_of_revision (self, id, &local_error)) != NULL &&
      (revision = read_one_revision (self, scene, sql, id, &local_error)) != NULL)
    return revision;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND,
               _("There is no revision with id %s in this library."), number);
  return NULL;
}

/**
 * loom_store_snapshot_prose:
 *
 * The scene's prose as it is now, with who wrote it and when, as a revision that is not in the
 * library (its id is 0): restoring it later with loom_store_restore_revision() brings this
 * text back as it was, keeping whatever replaced it in the history.
 *
 * Returns: (transfer full): the snapshot, or %NULL with @error set
 */
LoomRevision *
loom_store_snapshot_prose (LoomStore  *self,
                           LoomScene  *scene,
                           GError    **error)
{
  LoomProseOrigin origin = LOOM_PROSE_UNKNOWN;
  g_autofree char *model = NULL;
  gint64 written_at = 0;

  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  if (!loom_scene_load_prose (scene, error) ||
      !loom_store_get_prose_origin (self, scene, &origin, &model, &written_at, error))
    return NULL;
  return loom_revision_new (0, scene->id, scene->prose ? scene->prose : "",
                            LOOM_REVISION_RESTORE, model, loom_now_ms (), origin, written_at);
}

/**
 * loom_store_list_revisions:
 *
 * Returns: (transfer full): a #GListModel of #LoomRevision, newest first, or %NULL with @error
 */
GListModel *
loom_store_list_revisions (LoomStore  *self,
                           LoomScene  *scene,
                           GError    **error)
{
  static const char sql[] =
    "SELECT " REVISION_COLUMNS " FROM scene_revisions WHERE scene_id = ?1"
    " ORDER BY created_at DESC, id DESC";
  g_autoptr(GListStore) list = g_list_store_new (LOOM_TYPE_REVISION);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  if (!check_scene (self, scene, error))
    return NULL;
  if ((stmt = _loom_store_get_statement (self, sql, _("reading the revisions"), error)) == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, scene->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(LoomRevision) revision = read_revision (stmt, scene);
      g_list_store_append (list, revision);
    }
  if (!_loom_store_finish_statement (self, stmt, rc, NULL, _("reading the revisions"), error))
    return NULL;
  return G_LIST_MODEL (g_steal_pointer (&list));
}

gboolean
loom_store_add_revision (LoomStore           *self,
                         LoomScene           *scene,
                         const char          *prose,
                         LoomRevisionOrigin   origin,
                         const char          *model,
                         GError             **error)
{
  g_return_val_if_fail (LOOM_IS_SCENE (scene), FALSE);
  g_return_val_if_fail (prose != NULL, FALSE);

  return check_scene (self, scene, error) &&
         loom_store_check_text (prose, _("prose"), error) &&
         insert_revision (self, scene, prose, origin, model,
                          origin == LOOM_REVISION_PARTIAL ? LOOM_PROSE_PARTIAL
                                                          : LOOM_PROSE_UNKNOWN, error);
}

/* A draft or complete scene's status follows the text restored into it: no prose is a draft
 * again (undoing a first generation), a generated text back untouched is complete (redoing
 * it). A failed generation's status stays until the next one. */
static LoomSceneStatus
status_after_restore (LoomScene    *scene,
                      LoomRevision *revision)
{
  const char *prose = loom_revision_get_prose (revision);

  if (scene->status == LOOM_SCENE_STATUS_COMPLETE && (prose == NULL || *prose == '\0'))
    return LOOM_SCENE_STATUS_DRAFT;
  if (scene->status == LOOM_SCENE_STATUS_DRAFT && prose != NULL && *prose != '\0' &&
      loom_revision_get_author (revision) == LOOM_PROSE_GENERATED)
    return LOOM_SCENE_STATUS_COMPLETE;
  return scene->status;
}

/* Restoring the AI's text is accepting it (Keep of a stopped generation); restoring the
 * writer's over the AI's takes the accepted words back (undoing a generation). */
static LoomWordKind
restore_word_kind (LoomRevision *revision)
{
  switch (loom_revision_get_author (revision))
    {
    case LOOM_PROSE_GENERATED:
    case LOOM_PROSE_PARTIAL:
      return LOOM_WORDS_ACCEPTED;
    case LOOM_PROSE_UNKNOWN:
    case LOOM_PROSE_WRITER:
    case LOOM_PROSE_EDITED:
    default:
      return LOOM_WORDS_AS_REPLACED;
    }
}

/* The origin of the words a restored revision brings back: a model's text is the AI's
 * (which request wrote it the revision does not say); any other is not vouched for. */
static LoomSpanOrigin
restored_origin (LoomRevision *revision)
{
  LoomProseOrigin author = loom_revision_get_author (revision);

  if (author == LOOM_PROSE_GENERATED || author == LOOM_PROSE_PARTIAL)
    return LOOM_SPAN_AI;
  return LOOM_SPAN_UNKNOWN;
}

/**
 * loom_store_restore_revision:
 *
 * Makes @revision's prose the scene's prose, keeping the current prose as a revision of origin
 * "restore" so that restoring can itself be undone. A revision with empty prose empties the
 * scene (a draft again), which is how a first generation is undone.
 */
gboolean
loom_store_restore_revision (LoomStore     *self,
                             LoomScene     *scene,
                             LoomRevision  *revision,
                             GError       **error)
{
  const char *doing = _("restoring the revision");
  g_autoptr(LoomProvenance) spans = NULL;
  g_autofree char *theirs = NULL;
  gboolean changed = FALSE;
  gboolean kept = FALSE;
  LoomSceneStatus status;
  const char *prose;
  gint64 now;

  g_return_val_if_fail (LOOM_IS_SCENE (scene), FALSE);
  g_return_val_if_fail (LOOM_IS_REVISION (revision), FALSE);
  g_return_val_if_fail (loom_revision_get_scene_id (revision) == scene->id, FALSE);

  if (!check_scene (self, scene, error) || !loom_scene_load_prose (scene, error))
    return FALSE;
  if (scene->status == LOOM_SCENE_STATUS_GENERATING)
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                           _("Wait for the generation to finish, or stop it, before restoring "
                             "an earlier version."));
      return FALSE;
    }

  prose = loom_revision_get_prose (revision);
  if (g_strcmp0 (scene->prose, prose) == 0)
    return TRUE;
  status = status_after_restore (scene, revision);

  if (!_loom_store_begin (self, doing, error) ||
      !_loom_store_read_elsewhere (self, scene, &changed, &theirs, &now, error) ||
      (changed && g_strcmp0 (theirs, scene->prose) != 0 &&
       !_loom_store_keep_elsewhere (self, scene, theirs, prose, &kept, error)) ||
      (scene->prose != NULL &&
       !_loom_store_archive_prose (self, scene, scene->prose, LOOM_REVISION_RESTORE, error)) ||
      !_loom_store_read_revision_spans (self, loom_revision_get_id (revision), prose, &spans,
                                        error) ||
      !_loom_store_track_prose (self, scene, prose, spans, restored_origin (revision), 0, error) ||
      !_loom_store_write_prose (self, scene, prose, now, restore_word_kind (revision), error) ||
      /* The text comes back with who wrote it and when, not as new writing. */
      !_loom_store_set_prose_origin (self, scene, loom_revision_get_author (revision),
                                     loom_revision_get_model (revision),
                                     loom_revision_get_written_at (revision), error) ||
      (status != scene->status &&
       !_loom_store_run (self, error, doing, "UPDATE scenes SET status = ?1 WHERE id = ?2",
                         "si", loom_scene_status_to_string (status), scene->id)) ||
      /* a text chosen from the history settles what a stopped generation left on offer */
      !_loom_store_run (self, error, doing, ANSWER_PARTIAL_SQL, "ii", now, scene->id) ||
      !_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);

  _loom_store_apply_prose (scene, prose, now);
  if (status != scene->status)
    _loom_scene_set_status (scene, status, NULL);
  if (kept)
    _loom_store_emit_prose_conflict (self, scene);
  return TRUE;
}

/**
 * loom_store_get_prose_origin:
 * @origin: (out): who wrote the scene's prose; %LOOM_PROSE_UNKNOWN when it is empty or the
 *   library does not say
 * @model: (out) (optional) (nullable) (transfer full): the model of a generated or edited prose
 * @written_at: (out) (optional): when the prose was written, 0 when not recorded
 *
 * Reads the library rather than the mirror, so that another program's writing counts.
 */
gboolean
loom_store_get_prose_origin (LoomStore        *self,
                             LoomScene        *scene,
                             LoomProseOrigin  *origin,
                             char            **model,
                             gint64           *written_at,
                             GError          **error)
{
  const char *doing = _("reading the prose");
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LOOM_IS_SCENE (scene), FALSE);
  g_return_val_if_fail (origin != NULL, FALSE);

  *origin = LOOM_PROSE_UNKNOWN;
  if (model != NULL)
    *model = NULL;
  if (written_at != NULL)
    *written_at = 0;
  if (!check_scene (self, scene, error) ||
      (stmt = _loom_store_get_statement (self,
                                         "SELECT prose_origin, prose_model, prose_at FROM scenes"
                                         " WHERE id = ?1", doing, error)) == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, scene->id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *origin = loom_prose_origin_from_string ((const char *) sqlite3_column_text (stmt, 0));
      if (model != NULL)
        *model = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (written_at != NULL)
        *written_at = sqlite3_column_int64 (stmt, 2);
    }
  return _loom_store_finish_statement (self, stmt, rc,
                                       _("The scene was deleted by another program."),
                                       doing, error);
}

/**
 * loom_store_get_writers_words:
 *
 * How many of the words a generation of @scene would replace are the writer's own: all of its
 * prose when the writer typed or edited it, or when the library does not say who wrote it;
 * none when it is empty or a generation left untouched. When the library cannot be read the
 * answer is the word count too: asking once too often costs a click, not asking costs words.
 */
guint
loom_store_get_writers_words (LoomStore *self,
                              LoomScene *scene)
{
  LoomProseOrigin origin = LOOM_PROSE_UNKNOWN;
  guint words;

  g_return_val_if_fail (LOOM_IS_SCENE (scene), 0);

  words = loom_scene_get_word_count (scene);
  if (words == 0)
    return 0;
  loom_store_get_prose_origin (self, scene, &origin, NULL, NULL, NULL);
  return loom_prose_origin_is_writers (origin) ? words : 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Usage                                                                                    */

/**
 * loom_store_get_usage:
 * @story: (nullable): one story, or %NULL for the whole library
 *
 * Returns: (transfer full) (element-type LoomUsage): tokens and cost per scene in story order,
 *   requests about whole stories (scene_id 0) first
 */
GArray *
loom_store_get_usage (LoomStore  *self,
                      LoomStory  *story,
                      GError    **error)
{
  static const char sql[] =
    "SELECT coalesce (g.scene_id, 0), coalesce (c.chapter_number, 0),"
    " coalesce (s.scene_number, 0), count(*), coalesce (sum (g.prompt_tokens), 0),"
    " coalesce (sum (g.completion_tokens), 0), coalesce (sum (g.cost), 0)"
    " FROM generations g LEFT JOIN scenes s ON s.id = g.scene_id"
    " LEFT JOIN chapters c ON c.id = s.chapter_id"
    " WHERE ?1 = 0 OR g.story_id = ?1"
    " GROUP BY coalesce (g.scene_id, 0)"
    " ORDER BY c.chapter_number, s.scene_number";
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (LoomUsage));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);

  if ((stmt = _loom_store_get_statement (self, sql, _("reading the usage"), error)) == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, story != NULL ? story->id : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LoomUsage usage = {
        .scene_id = sqlite3_column_int64 (stmt, 0),
        .chapter_number = sqlite3_column_int (stmt, 1),
        .scene_number = sqlite3_column_int (stmt, 2),
        .requests = sqlite3_column_int (stmt, 3),
        .prompt_tokens = sqlite3_column_int64 (stmt, 4),
        .completion_tokens = sqlite3_column_int64 (stmt, 5),
        .cost = sqlite3_column_double (stmt, 6),
      };
      g_array_append_val (rows, usage);
    }
  if (!_loom_store_finish_statement (self, stmt, rc, NULL, _("reading the usage"), error))
    return NULL;
  return g_steal_pointer (&rows);
}

/**
 * loom_store_get_generation_inputs:
 *
 * Returns: (nullable) (transfer full): the inputs recorded with the scene's last completed
 *   generation, or %NULL when it has none (or on error)
 */
char *
loom_store_get_generation_inputs (LoomStore  *self,
                                  LoomScene  *scene,
                                  GError    **error)
{
  static const char sql[] =
    "SELECT inputs FROM generations WHERE scene_id = ?1 AND kind = 'scene'"
    " AND outcome = 'complete'"
    " ORDER BY id DESC LIMIT 1";
  sqlite3_stmt *stmt;
  char *inputs = NULL;
  int rc;

  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  if (!check_scene (self, scene, error) ||
      (stmt = _loom_store_get_statement (self, sql, _("reading the generation"), error)) == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, scene->id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    inputs = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  _loom_store_finish_statement (self, stmt, rc, NULL, _("reading the generation"), error);
  return inputs;
}
