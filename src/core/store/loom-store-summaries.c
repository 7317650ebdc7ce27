/* loom-store-summaries.c: a short summary of each scene, kept in the library
 *
 * One row per scene in scene_summaries: the text, the facts the scene established (as the model
 * listed them, one a line), who wrote it, and a fingerprint of the prose it summarises. The
 * summary is outdated when the prose no longer has that fingerprint; it is kept all the same
 * (an outdated summary is still the best memory of the scene there is) and shown as such.
 * A scene prompt that included a summary records it as an input (kind "summary", by the
 * summarised scene's id), so changing a summary marks exactly the scenes whose prompt used it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-store-summaries"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-store-private.h"
#include "loom-store-summaries.h"

#define SUMMARY_SELECT \
  "SELECT scene_id, summary, facts, origin, prose_fingerprint, model, updated_at" \
  " FROM scene_summaries"

void
loom_summary_free (LoomSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->summary);
  g_free (summary->facts);
  g_free (summary->prose_fingerprint);
  g_free (summary->model);
  g_free (summary);
}

const char *
loom_summary_origin_to_string (LoomSummaryOrigin origin)
{
  return origin == LOOM_SUMMARY_GENERATED ? "generated" : "writer";
}

char *
loom_summary_fingerprint_prose (const char *prose)
{
  g_autofree char *full = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                         prose != NULL ? prose : "", -1);

  return g_strndup (full, 16);
}

gboolean
loom_summary_is_outdated (LoomSummary *summary,
                          LoomScene   *scene)
{
  g_autofree char *now = NULL;

  g_return_val_if_fail (summary != NULL, TRUE);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), TRUE);

  if (!loom_scene_load_prose (scene, NULL))
    return TRUE;
  now = loom_summary_fingerprint_prose (loom_scene_get_prose (scene));
  return g_strcmp0 (now, summary->prose_fingerprint) != 0;
}

GStrv
loom_summary_dup_facts (LoomSummary *summary)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (summary != NULL, NULL);

  lines = g_strsplit (summary->facts != NULL ? summary->facts : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (g_str_has_prefix (line, "- "))
        line = g_strstrip (line + 2);
      if (*line != '\0')
        g_strv_builder_add (builder, line);
    }
  return g_strv_builder_end (builder);
}

static LoomSummary *
summary_from_row (sqlite3_stmt *stmt)
{
  LoomSummary *summary = g_new0 (LoomSummary, 1);
  const char *origin = (const char *) sqlite3_column_text (stmt, 3);

  summary->scene_id = sqlite3_column_int64 (stmt, 0);
  summary->summary = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  summary->facts = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  summary->origin = g_strcmp0 (origin, "generated") == 0 ? LOOM_SUMMARY_GENERATED
                                                          : LOOM_SUMMARY_WRITER;
  summary->prose_fingerprint = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  summary->model = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  summary->updated_at = sqlite3_column_int64 (stmt, 6);
  return summary;
}

/**
 * loom_store_get_summary:
 *
 * Returns: (transfer full) (nullable): @scene's summary; %NULL without @error when it has none
 */
LoomSummary *
loom_store_get_summary (LoomStore  *self,
                        LoomScene  *scene,
                        GError    **error)
{
  const char *doing = _("reading the summary");
  LoomSummary *summary = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  if ((stmt = _loom_store_get_statement (self, SUMMARY_SELECT " WHERE scene_id = ?1", doing,
                                         error)) == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, scene->id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    summary = summary_from_row (stmt);
  _loom_store_finish_statement (self, stmt, rc, NULL, doing, error);
  return summary;
}

/**
 * loom_store_list_summaries:
 *
 * Every summary of @story's scenes, in one query: what a prompt's memory is built from.
 *
 * Returns: (transfer full): scene id (gint64 *) → #LoomSummary, or %NULL with @error set
 */
GHashTable *
loom_store_list_summaries (LoomStore  *self,
                           LoomStory  *story,
                           GError    **error)
{
  const char *doing = _("reading the summaries");
  g_autoptr(GHashTable) summaries = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);

  if ((stmt = _loom_store_get_statement (self,
                                         SUMMARY_SELECT " WHERE scene_id IN"
                                         " (SELECT id FROM scenes WHERE story_id = ?1)",
                                         doing, error)) == NULL)
    return NULL;
  summaries = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                     (GDestroyNotify) loom_summary_free);
  sqlite3_bind_int64 (stmt, 1, story->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LoomSummary *summary = summary_from_row (stmt);

      g_hash_table_replace (summaries, &summary->scene_id, summary);
    }
  if (!_loom_store_finish_statement (self, stmt, rc, NULL, doing, error))
    return NULL;
  return g_steal_pointer (&summaries);
}

/**
 * loom_store_set_summary:
 * @summary: the summary; blank removes it
 * @facts: (nullable): the facts the scene established, one a line
 * @model: (nullable): the model that wrote it
 * @prose_fingerprint: (nullable): the fingerprint of the prose it summarises; %NULL for the
 *   scene's prose as it is now (the writer's summary of what they read)
 *
 * Keeps @summary as @scene's, replacing the one it had.
 */
gboolean
loom_store_set_summary (LoomStore          *self,
                        LoomScene          *scene,
                        const char         *summary,
                        const char         *facts,
                        LoomSummaryOrigin   origin,
                        const char         *model,
                        const char         *prose_fingerprint,
                        GError            **error)
{
  const char *doing = _("saving the summary");
  g_autofree char *text = g_strstrip (g_strdup (summary != NULL ? summary : ""));
  g_autofree char *fingerprint = g_strdup (prose_fingerprint);

  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), FALSE);

  if (*text == '\0')
    return loom_store_delete_summary (self, scene, error);
  if (!_loom_store_check_open (self, error) ||
      !loom_store_check_text (text, _("summary"), error) ||
      !loom_store_check_text (facts, _("facts"), error))
    return FALSE;
  if (fingerprint == NULL)
    {
      if (!loom_scene_load_prose (scene, error))
        return FALSE;
      fingerprint = loom_summary_fingerprint_prose (loom_scene_get_prose (scene));
    }
  if (!_loom_store_run (self, error, doing,
                        "INSERT OR REPLACE INTO scene_summaries (scene_id, summary, facts, origin,"
                        " prose_fingerprint, model, updated_at)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        "isssssi", scene->id, text, facts != NULL ? facts : "",
                        loom_summary_origin_to_string (origin), fingerprint, model,
                        loom_now_ms ()))
    return FALSE;
  _loom_store_input_changed (self, LOOM_SCENE_INPUT_SUMMARY, scene->id);
  _loom_store_emit_summary_changed (self, scene);
  return TRUE;
}

gboolean
loom_store_delete_summary (LoomStore  *self,
                           LoomScene  *scene,
                           GError    **error)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), FALSE);

  if (!_loom_store_run (self, error, _("removing the summary"),
                        "DELETE FROM scene_summaries WHERE scene_id = ?1", "i", scene->id))
    return FALSE;
  _loom_store_input_changed (self, LOOM_SCENE_INPUT_SUMMARY, scene->id);
  _loom_store_emit_summary_changed (self, scene);
  return TRUE;
}

static gboolean
needs_summary (LoomScene   *scene,
               GHashTable  *summaries,
               gboolean    *needed,
               GError     **error)
{
  LoomSummary *summary = g_hash_table_lookup (summaries, &scene->id);
  const char *prose;

  if (!loom_scene_load_prose (scene, error))
    return FALSE;
  prose = loom_scene_get_prose (scene);
  *needed = prose != NULL && *prose != '\0' &&
            scene->status != LOOM_SCENE_STATUS_GENERATING &&
            (summary == NULL ||
             (summary->origin == LOOM_SUMMARY_GENERATED &&
              loom_summary_is_outdated (summary, scene)));
  return TRUE;
}

/**
 * loom_store_list_unsummarized:
 *
 * Returns: (transfer full) (element-type LoomScene): the scenes with prose and no summary, or
 *   an outdated generated one, in story order; %NULL with @error set
 */
GPtrArray *
loom_store_list_unsummarized (LoomStore  *self,
                              LoomStory  *story,
                              GError    **error)
{
  g_autoptr(GHashTable) summaries = NULL;
  g_autoptr(GPtrArray) scenes = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *chapters;

  g_return_val_if_fail (LOOM_IS_STORE (self), NULL);
  g_return_val_if_fail (LOOM_IS_STORY (story), NULL);

  if ((summaries = loom_store_list_summaries (self, story, error)) == NULL)
    return NULL;
  chapters = loom_story_get_chapters (story);
  for (guint c = 0; c < g_list_model_get_n_items (chapters); c++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, c);
      GListModel *list = loom_chapter_get_scenes (chapter);

      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr(LoomScene) scene = g_list_model_get_item (list, i);
          gboolean needed = FALSE;

          if (!needs_summary (scene, summaries, &needed, error))
            return NULL;
          if (needed)
            g_ptr_array_add (scenes, g_steal_pointer (&scene));
        }
    }
  return g_steal_pointer (&scenes);
}

/**
 * loom_summary_append_input:
 * @inputs: (element-type LoomSceneInput): a prompt's inputs (loom_store_fingerprint_inputs())
 *
 * Records that a prompt included @summary, the summary of the scene @scene_id, so that a change
 * to it marks the scene generated from that prompt as outdated.
 */
void
loom_summary_append_input (GArray     *inputs,
                           gint64      scene_id,
                           const char *summary)
{
  LoomSceneInput input = {
    LOOM_SCENE_INPUT_SUMMARY, scene_id, loom_summary_fingerprint_prose (summary),
  };

  g_return_if_fail (inputs != NULL);
  g_array_append_val (inputs, input);
}

gint64
loom_store_begin_summary_request (LoomStore   *self,
                                  LoomScene   *scene,
                                  const char  *model,
                                  GError     **error)
{
  g_return_val_if_fail (LOOM_IS_STORE (self), 0);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), 0);
  g_return_val_if_fail (model != NULL, 0);

  return _loom_store_insert_request (self, scene->chapter->story->id, scene->id, "summary",
                                     model, error);
}
