/* loom-store-revise.c: the rows of the AI's changes to the writer's own text
 *
 * A request is a `generations` row whose kind is the action; it never writes the prose. Only
 * applying the writer's choice of its changes does, in one transaction that first keeps the
 * prose as it was as a revision ("edit"), which the request's row then points at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store-revise"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-store-private.h"
#include "loom-store-revise.h"

static const char *const action_names[] = {
  "continue", "rewrite", "expand", "shorten", "describe", "ask",
};

G_STATIC_ASSERT (G_N_ELEMENTS (action_names) == LOOM_REVISE_N_ACTIONS);

const char *
loom_revise_action_to_string (LoomReviseAction action)
{
  g_return_val_if_fail (action < LOOM_REVISE_N_ACTIONS, "rewrite");
  return action_names[action];
}

gboolean
loom_revise_action_from_string (const char       *text,
                                LoomReviseAction *action)
{
  int i = loom_enum_index_of_name (action_names, G_N_ELEMENTS (action_names), text);

  if (i >= 0)
    *action = (LoomReviseAction) i;
  return i >= 0;
}

/**
 * loom_store_begin_revise:
 *
 * Records a request about a passage of @scene before it is sent; end it with
 * loom_store_finish_request(). The scene is not touched.
 *
 * Returns: the row's id, or 0 with @error set
 */
gint64
loom_store_begin_revise (LoomStore         *self,
                         LoomScene         *scene,
                         LoomReviseAction   action,
                         const char        *model,
                         GError           **error)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), 0);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), 0);
  g_return_val_if_fail (model != NULL, 0);

  return _loom_store_insert_request (self, scene->chapter->story->id, scene->id,
                                     loom_revise_action_to_string (action), model, error);
}

/**
 * loom_store_apply_revise:
 * @base_prose: (nullable): the scene's prose that the request was made from
 * @new_prose: (nullable): that prose with the changes the writer accepted
 * @generation_id: the request's row, or 0
 *
 * Makes @new_prose the scene's prose, keeping the prose before as a revision of origin "edit"
 * that the request's row points at, all in one transaction. Refused, changing nothing, when
 * the scene's prose is no longer @base_prose (typed into meanwhile, or changed by another
 * program): the changes were worked out against the earlier text.
 */
gboolean
loom_store_apply_revise (LoomStore   *self,
                         LoomScene   *scene,
                         const char  *base_prose,
                         const char  *new_prose,
                         const char  *model,
                         gint64       generation_id,
                         GError     **error)
{
  const char *doing = _("applying the changes");
  g_autofree char *theirs = NULL;
  gboolean changed = FALSE;
  gint64 now;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), FALSE);

  if (!_loom_store_check_open (self, error) || !loom_scene_load_prose (scene, error) ||
      !loom_store_check_text (new_prose, _("prose"), error))
    return FALSE;
  if (scene->status == LOOM_SCENE_STATUS_GENERATING)
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                           _("The scene is being generated, so the changes were not applied. "
                             "Wait for the generation to finish and ask again."));
      return FALSE;
    }
  if (g_strcmp0 (scene->prose ? scene->prose : "", base_prose ? base_prose : "") != 0)
    {
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                           _("The scene changed after the AI read it, so the changes were not "
                             "applied. Ask again on the text as it is now."));
      return FALSE;
    }
  if (g_strcmp0 (scene->prose ? scene->prose : "", new_prose ? new_prose : "") == 0)
    return TRUE;

  if (!_loom_store_begin (self, doing, error) ||
      !_loom_store_read_elsewhere (self, scene, &changed, &theirs, &now, error))
    return _loom_store_rollback (self);
  if (changed && g_strcmp0 (theirs, scene->prose) != 0)
    {
      _loom_store_rollback (self);
      g_set_error_literal (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID,
                           _("Another program changed the scene after the AI read it, so the "
                             "changes were not applied. Ask again on the text as it is now."));
      return FALSE;
    }
  if ((scene->prose != NULL &&
       (!_loom_store_archive_prose (self, scene, scene->prose, LOOM_REVISION_EDIT, error) ||
        (generation_id > 0 &&
         !_loom_store_run (self, error, doing,
                           "UPDATE generations SET revision_id = last_insert_rowid ()"
                           " WHERE id = ?1 AND scene_id = ?2",
                           "ii", generation_id, scene->id)))) ||
      /* the words the writer accepted are the request's */
      !_loom_store_track_prose (self, scene, new_prose, NULL, LOOM_SPAN_AI, generation_id,
                                error) ||
      !_loom_store_write_prose (self, scene, new_prose, now, LOOM_WORDS_ACCEPTED,
                                    error) ||
      !_loom_store_set_prose_origin (self, scene, LOOM_PROSE_EDITED, model, now, error) ||
      !_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);

  _loom_store_apply_prose (scene, new_prose, now);
  return TRUE;
}

/**
 * loom_store_get_revise_action_of:
 *
 * Returns: whether @revision keeps the prose that an AI change replaced, and if so which
 *   action made the change
 */
gboolean
loom_store_get_revise_action_of (LoomStore        *self,
                                 LoomRevision     *revision,
                                 LoomReviseAction *action)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_REVISION (revision), FALSE);

  if (!_loom_store_check_open (self, NULL) ||
      loom_revision_get_origin (revision) != LOOM_REVISION_EDIT ||
      (stmt = _loom_store_get_statement (self,
                                         "SELECT kind FROM generations WHERE revision_id = ?1",
                                         _("reading the history"), NULL)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, loom_revision_get_id (revision));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    found = loom_revise_action_from_string ((const char *) sqlite3_column_text (stmt, 0),
                                            action);
  sqlite3_reset (stmt);
  return found;
}

/**
 * loom_store_get_revise_template:
 *
 * Returns: (transfer full) (nullable): the story's own wording of @action's instruction, or
 *   %NULL when it uses the default (or with @error set)
 */
char *
loom_store_get_revise_template (LoomStore         *self,
                                LoomStory         *story,
                                LoomReviseAction   action,
                                GError           **error)
{
  const char *doing = _("reading the instructions");
  sqlite3_stmt *stmt;
  char *instruction = NULL;
  int rc;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);

  if ((stmt = _loom_store_get_statement (self,
                                         "SELECT instruction FROM revise_templates"
                                         " WHERE story_id = ?1 AND action = ?2",
                                         doing, error)) == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, story->id);
  sqlite3_bind_text (stmt, 2, loom_revise_action_to_string (action), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    instruction = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  _loom_store_finish_statement (self, stmt, rc, NULL, doing, error);
  return instruction;
}

/* The writer's instruction without the space around it ("" when blank), or %NULL with @error
 * set when it cannot be stored. */
static char *
trim_instruction (LoomStore   *self,
                  const char  *instruction,
                  GError     **error)
{
  if (!_loom_store_check_open (self, error) ||
      !loom_store_check_text (instruction, _("instruction"), error))
    return NULL;
  return g_strstrip (g_strdup (instruction ? instruction : ""));
}

/**
 * loom_store_set_revise_template:
 * @instruction: (nullable): the story's wording; %NULL or blank goes back to the default
 */
gboolean
loom_store_set_revise_template (LoomStore         *self,
                                LoomStory         *story,
                                LoomReviseAction   action,
                                const char        *instruction,
                                GError           **error)
{
  const char *doing = _("saving the instruction");
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_STORY (story), FALSE);

  trimmed = trim_instruction (self, instruction, error);
  if (trimmed == NULL)
    return FALSE;
  if (*trimmed == '\0')
    return _loom_store_run (self, error, doing,
                            "DELETE FROM revise_templates WHERE story_id = ?1 AND action = ?2",
                            "is", story->id, loom_revise_action_to_string (action));
  return _loom_store_run (self, error, doing,
                          "INSERT INTO revise_templates (story_id, action, instruction, updated_at)"
                          " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (story_id, action)"
                          " DO UPDATE SET instruction = ?3, updated_at = ?4",
                          "issi", story->id, loom_revise_action_to_string (action), trimmed,
                          loom_now_ms ());
}

/**
 * loom_store_list_recent_instructions:
 *
 * Returns: (transfer full): the free instructions given lately in @story, the newest first
 *   (empty, or %NULL with @error set)
 */
GStrv
loom_store_list_recent_instructions (LoomStore  *self,
                                     LoomStory  *story,
                                     GError    **error)
{
  const char *doing = _("reading the instructions");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);

  if ((stmt = _loom_store_get_statement (self,
                                         "SELECT instruction FROM story_instructions"
                                         " WHERE story_id = ?1 ORDER BY used_at DESC LIMIT ?2",
                                         doing, error)) == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, story->id);
  sqlite3_bind_int (stmt, 2, LOOM_REVISE_RECENT_KEPT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (!_loom_store_finish_statement (self, stmt, rc, NULL, doing, error))
    return NULL;
  return g_strv_builder_end (builder);
}

/**
 * loom_store_remember_instruction:
 *
 * Puts @instruction first among @story's recent ones; the oldest beyond
 * %LOOM_REVISE_RECENT_KEPT are forgotten. A blank instruction is not remembered.
 */
gboolean
loom_store_remember_instruction (LoomStore   *self,
                                 LoomStory   *story,
                                 const char  *instruction,
                                 GError     **error)
{
  const char *doing = _("saving the instruction");
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_STORY (story), FALSE);

  trimmed = trim_instruction (self, instruction, error);
  if (trimmed == NULL)
    return FALSE;
  if (*trimmed == '\0')
    return TRUE;
  if (!_loom_store_begin (self, doing, error) ||
      !_loom_store_run (self, error, doing,
                        /* Later than any other even within one millisecond: the order is
                         * the order of use. */
                        "INSERT INTO story_instructions (story_id, instruction, used_at)"
                        " VALUES (?1, ?2, max (?3, (SELECT coalesce (max (used_at), 0) + 1"
                        " FROM story_instructions WHERE story_id = ?1)))"
                        " ON CONFLICT (story_id, instruction)"
                        " DO UPDATE SET used_at = excluded.used_at",
                        "isi", story->id, trimmed, loom_now_ms ()) ||
      !_loom_store_run (self, error, doing,
                        "DELETE FROM story_instructions WHERE story_id = ?1 AND instruction"
                        " NOT IN (SELECT instruction FROM story_instructions WHERE story_id = ?1"
                        " ORDER BY used_at DESC LIMIT ?2)",
                        "ii", story->id, (gint64) LOOM_REVISE_RECENT_KEPT) ||
      !_loom_store_commit (self, doing, error))
    return _loom_store_rollback (self);
  return TRUE;
}
