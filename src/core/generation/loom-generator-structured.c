/* loom-generator-structured.c: answers in TOON — a story's outline, suggested characters, a
 * scene's summary
 *
 * The model is asked for a TOON document of a fixed shape; the answer is decoded leniently
 * (it may sit in a ```toon fence amid prose), then checked field by field before anything is
 * written, and written in one transaction. An answer that does not fit adds nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-generator-structured"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-generator.h"
#include "loom-prompt.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-store-summaries.h"
#include "loom-generator-private.h"
#include "loom-story.h"
#include "loom-toon.h"

typedef enum
{
  REQUEST_OUTLINE,
  REQUEST_CHARACTERS,
  REQUEST_SUMMARY,
} RequestKind;

typedef struct
{
  LoomStory         *story;
  LoomScene         *scene;             /* a summary's */
  char              *prose_fingerprint; /* of the prose the summary was asked for */
  char              *model;             /* the model that answered */
  RequestKind        kind;
  gboolean           replace_writers; /* the writer agreed to have their summary replaced */
  gint64             generation_id;
  guint              added;
  LoomGenerationEnd  end;   /* the answer's usage, once it has come */
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_clear_object (&data->story);
  g_clear_object (&data->scene);
  g_free (data->prose_fingerprint);
  g_free (data->model);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RequestData, request_data_free)

static const char outline_instructions[] =
  "You plan novels with their authors. Answer with a TOON document in a ```toon block and "
  "nothing else, in exactly this shape:\n"
  "```toon\n"
  "chapters[2]{title}:\n"
  "  The Gate\n"
  "  Salt and Iron\n"
  "scenes[3]{chapter,outline}:\n"
  "  1,Mara reaches the gate at dusk and is refused entry.\n"
  "  1,\"She bribes the guard, who asks a price she did not expect.\"\n"
  "  2,The caravan leaves at dawn.\n"
  "```\n"
  "`chapter` is the chapter's number, counting from 1. Quote a field that contains a comma. "
  "Plan between 3 and 12 chapters of 2 to 6 scenes each; each outline is one or two sentences "
  "saying what happens.";

static const char characters_instructions[] =
  "You help authors people their novels. Answer with a TOON document in a ```toon block and "
  "nothing else, in exactly this shape:\n"
  "```toon\n"
  "characters[2]{name,traits,backstory}:\n"
  "  Mara Voss,\"stubborn, curious\",Grew up on the salt flats.\n"
  "  Ivo,quiet,null\n"
  "```\n"
  "Quote a field that contains a comma. Suggest 3 to 6 characters the story needs who are not "
  "already listed.";

static const char summary_instructions[] =
  "You keep the memory of a novel for its author. Read the scene and answer with a TOON "
  "document in a ```toon block and nothing else, in exactly this shape:\n"
  "```toon\n"
  "summary: \"Mara reaches the gate at dusk; the guard, Ivo, lets her in for her mother's "
  "ring.\"\n"
  "facts[2]:\n"
  "  - Ivo guards the north gate.\n"
  "  - Mara no longer has her mother's ring.\n"
  "```\n"
  "The summary is two to four sentences in the past tense saying what happens and what "
  "changes. The facts are what this scene established that later scenes must keep to "
  "(people, places, objects, relations, wounds, secrets revealed), at most 8; write "
  "`facts[0]:` when there are none. Quote a text that contains a comma or a colon.";

/* What differs between the kinds of request. The answer's length is what the estimate
 * expects: an outline of a dozen chapters of scenes, a handful of characters, or a summary of
 * a few sentences with its facts. */
static const struct
{
  const char *what;         /* inside a sentence; translated where it is used */
  const char *instructions;
  guint       answer_words;
} request_kinds[] = {
  [REQUEST_OUTLINE] = { N_("outline"), outline_instructions, 1500 },
  [REQUEST_CHARACTERS] = { N_("character suggestions"), characters_instructions, 600 },
  [REQUEST_SUMMARY] = { N_("summary"), summary_instructions, 300 },
};

/* The scene as the model should see it to summarise it, with @prose as its prose. */
static char *
describe_scene (LoomScene  *scene,
                const char *prose)
{
  LoomChapter *chapter = loom_scene_get_chapter (scene);
  const char *outline = loom_scene_get_outline (scene);

  return g_strdup_printf ("Story: %s\nChapter %u, “%s”, scene %u.\nOutline: %s\n\n"
                          "The scene:\n\"\"\"\n%s\n\"\"\"",
                          loom_story_get_title (loom_chapter_get_story (chapter)),
                          loom_chapter_get_number (chapter), loom_chapter_get_title (chapter),
                          loom_scene_get_number (scene),
                          outline != NULL && *outline != '\0' ? outline : "(none)", prose);
}

/* The story as the model should see it, characters as a TOON table to save tokens. */
static char *
describe_story (LoomStory   *story,
                RequestKind  kind)
{
  GListModel *characters = loom_story_get_characters (story);
  GString *out = g_string_new (NULL);
  guint n = g_list_model_get_n_items (characters);

  g_string_append_printf (out, "Title: %s\n", loom_story_get_title (story));
  if (*loom_story_get_premise (story) != '\0')
    g_string_append_printf (out, "Premise: %s\n", loom_story_get_premise (story));
  if (*loom_story_get_style_notes (story) != '\0')
    g_string_append_printf (out, "Style: %s\n", loom_story_get_style_notes (story));

  if (kind == REQUEST_OUTLINE && loom_story_get_chapter_count (story) > 0)
    {
      GListModel *chapters = loom_story_get_chapters (story);

      /* The new chapters come after these: the model continues the story, numbering its own
       * chapters from 1. */
      g_string_append (out, "\nThe story already has these chapters; plan the ones that come "
                            "after them, numbering yours from 1:\n");
      for (guint i = 0; i < g_list_model_get_n_items (chapters); i++)
        {
          g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, i);
          g_string_append_printf (out, "%u. %s\n", i + 1, loom_chapter_get_title (chapter));
        }
    }

  if (n > 0)
    {
      g_autoptr(LoomToonValue) root = loom_toon_value_new_object ();
      g_autoptr(LoomToonValue) rows = loom_toon_value_new_array ();
      g_autofree char *toon = NULL;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(LoomCharacter) c = g_list_model_get_item (characters, i);
          LoomToonValue *row = loom_toon_value_new_object ();
          const char *backstory = loom_character_get_backstory (c);

          loom_toon_value_object_set (row, "name",
                                      loom_toon_value_new_string (loom_character_get_name (c)));
          loom_toon_value_object_set (row, "traits",
                                      loom_toon_value_new_string (loom_character_get_traits (c)));
          loom_toon_value_object_set (row, "backstory",
                                      backstory ? loom_toon_value_new_string (backstory)
                                                : loom_toon_value_new_null ());
          loom_toon_value_array_append (rows, row);
        }
      loom_toon_value_object_set (root, "characters", g_steal_pointer (&rows));
      toon = loom_toon_encode (root, NULL, NULL);
      if (toon != NULL)
        g_string_append_printf (out, "\nThe characters so far:\n```toon\n%s\n```\n", toon);
    }
  return g_string_free (out, FALSE);
}

/* What the writer asked for, inside a sentence. */
static const char *
what_for (RequestKind kind)
{
  return _(request_kinds[kind].what);
}

static void
bad_answer (GError     **error,
            const char  *what,
            const char  *detail)
{
  g_set_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE,
               _("The model’s %s could not be used: %s. Nothing was added; try again, or "
                 "choose another model."), what, detail);
}

/* A decoder's message ("line 3, column 7: …") or a missing table means nothing to the writer:
 * it is logged, and the writer reads what happened in words. */
static void
malformed_answer (GError     **error,
                  const char  *what,
                  const char  *detail)
{
  g_debug ("Malformed %s: %s", what, detail);
  bad_answer (error, what, _("it was not in the form asked for, or was cut short"));
}

static const char *
field_string (LoomToonValue *row,
              const char    *name)
{
  LoomToonValue *v = loom_toon_value_object_get_member (row, name);

  if (v == NULL || loom_toon_value_get_kind (v) != LOOM_TOON_STRING)
    return NULL;
  return loom_toon_value_get_string (v, NULL);
}

/* The array @name of objects in @root, or NULL with @error set. */
static LoomToonValue *
table (LoomToonValue  *root,
       const char     *name,
       const char     *what,
       GError        **error)
{
  LoomToonValue *rows;

  if (loom_toon_value_get_kind (root) != LOOM_TOON_OBJECT ||
      (rows = loom_toon_value_object_get_member (root, name)) == NULL ||
      loom_toon_value_get_kind (rows) != LOOM_TOON_ARRAY || loom_toon_value_get_length (rows) == 0)
    {
      g_autofree char *detail = g_strdup_printf ("no \"%s\" table", name);
      malformed_answer (error, what, detail);
      return NULL;
    }
  for (guint i = 0; i < loom_toon_value_get_length (rows); i++)
    if (loom_toon_value_get_kind (loom_toon_value_array_get (rows, i)) != LOOM_TOON_OBJECT)
      {
        g_autofree char *detail = g_strdup_printf ("row %u of \"%s\" is not an object",
                                                   i + 1, name);
        malformed_answer (error, what, detail);
        return NULL;
      }
  return rows;
}

/* The block is found leniently (fence or not, prose around it) but decoded strictly: a row
 * count that does not match is how a truncated answer shows, and it must not be half-used. */
static LoomToonValue *
decode_answer (const char  *text,
               const char  *what,
               GError     **error)
{
  g_autoptr(GError) toon_error = NULL;
  LoomToonValue *root = NULL;
  const char *block = NULL;
  gsize block_len = 0;

  if (text == NULL)
    text = "";
  if (!loom_toon_extract_block (text, -1, &block, &block_len))
    {
      block = text;
      block_len = strlen (text);
    }
  root = loom_toon_decode (block, block_len, NULL, &toon_error);

  if (root == NULL)
    malformed_answer (error, what, toon_error->message);
  return root;
}

static gboolean
apply_outline (LoomStore      *store,
               LoomStory      *story,
               LoomToonValue  *root,
               guint          *added,
               GError        **error)
{
  const char *what = what_for (REQUEST_OUTLINE);
  g_autoptr(GArray) chapters = g_array_new (FALSE, TRUE, sizeof (LoomOutlineChapter));
  g_autoptr(GArray) scenes = g_array_new (FALSE, TRUE, sizeof (LoomOutlineScene));
  LoomToonValue *chapter_rows, *scene_rows;

  if ((chapter_rows = table (root, "chapters", what, error)) == NULL ||
      (scene_rows = table (root, "scenes", what, error)) == NULL)
    return FALSE;

  for (guint i = 0; i < loom_toon_value_get_length (chapter_rows); i++)
    {
      LoomToonValue *row = loom_toon_value_array_get (chapter_rows, i);
      LoomOutlineChapter c = { field_string (row, "title") };

      if (c.title == NULL)
        {
          g_autofree char *detail = g_strdup_printf (_("chapter %u has no title"), i + 1);
          bad_answer (error, what, detail);
          return FALSE;
        }
      g_array_append_val (chapters, c);
    }

  for (guint i = 0; i < loom_toon_value_get_length (scene_rows); i++)
    {
      LoomToonValue *row = loom_toon_value_array_get (scene_rows, i);
      LoomToonValue *number = loom_toon_value_object_get_member (row, "chapter");
      LoomOutlineScene s = { 0, field_string (row, "outline") };

      if (number == NULL || loom_toon_value_get_kind (number) != LOOM_TOON_INT ||
          loom_toon_value_get_int (number) < 1 ||
          loom_toon_value_get_int (number) > (gint64) chapters->len || s.outline == NULL)
        {
          g_autofree char *detail =
            g_strdup_printf (_("scene %u needs a chapter between 1 and %u and an outline"),
                             i + 1, chapters->len);
          bad_answer (error, what, detail);
          return FALSE;
        }
      s.chapter = loom_toon_value_get_int (number) - 1;
      g_array_append_val (scenes, s);
    }

  if (!loom_store_add_outline (store, story, (LoomOutlineChapter *) chapters->data, chapters->len,
                               (LoomOutlineScene *) scenes->data, scenes->len, error))
    return FALSE;
  *added = chapters->len;
  return TRUE;
}

static gboolean
has_character (LoomStory  *story,
               const char *name)
{
  GListModel *characters = loom_story_get_characters (story);
  g_autofree char *folded = g_utf8_casefold (name, -1);

  for (guint i = 0; i < g_list_model_get_n_items (characters); i++)
    {
      g_autoptr(LoomCharacter) c = g_list_model_get_item (characters, i);
      g_autofree char *other = g_utf8_casefold (loom_character_get_name (c), -1);

      if (g_str_equal (folded, other))
        return TRUE;
    }
  return FALSE;
}

static gboolean
apply_characters (LoomStore      *store,
                  LoomStory      *story,
                  LoomToonValue  *root,
                  guint          *added,
                  GError        **error)
{
  const char *what = what_for (REQUEST_CHARACTERS);
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (LoomCharacterEntry));
  LoomToonValue *rows;

  if ((rows = table (root, "characters", what, error)) == NULL)
    return FALSE;

  for (guint i = 0; i < loom_toon_value_get_length (rows); i++)
    {
      LoomToonValue *row = loom_toon_value_array_get (rows, i);
      LoomCharacterEntry e = {
        field_string (row, "name"), field_string (row, "traits"), field_string (row, "backstory"),
      };

      if (e.name == NULL || e.traits == NULL)
        {
          g_autofree char *detail = g_strdup_printf (_("character %u needs a name and traits"),
                                                     i + 1);
          bad_answer (error, what, detail);
          return FALSE;
        }
      /* A suggestion the writer already has would only duplicate an entry. */
      if (!has_character (story, e.name))
        g_array_append_val (entries, e);
    }

  if (!loom_store_add_characters (store, story, (LoomCharacterEntry *) entries->data,
                                  entries->len, error))
    return FALSE;
  *added = entries->len;
  return TRUE;
}

static gboolean
has_writers_summary (LoomStore  *store,
                     LoomScene  *scene,
                     GError    **error)
{
  g_autoptr(LoomSummary) summary = loom_store_get_summary (store, scene, error);

  if (summary == NULL || summary->origin != LOOM_SUMMARY_WRITER)
    return FALSE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("Scene %u of chapter %u has a summary you wrote, which is kept. Clear it "
                 "first to have one generated."), loom_scene_get_number (scene),
               loom_chapter_get_number (loom_scene_get_chapter (scene)));
  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

/* summary: one text; facts: an array of texts, which may be empty. */
static gboolean
apply_summary (LoomStore      *store,
               RequestData    *data,
               LoomToonValue  *root,
               GError        **error)
{
  const char *what = what_for (REQUEST_SUMMARY);
  g_autoptr(GString) facts = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  LoomToonValue *list;
  const char *text;

  if (loom_toon_value_get_kind (root) != LOOM_TOON_OBJECT ||
      (text = field_string (root, "summary")) == NULL || is_blank (text) ||
      (list = loom_toon_value_object_get_member (root, "facts")) == NULL ||
      loom_toon_value_get_kind (list) != LOOM_TOON_ARRAY)
    {
      malformed_answer (error, what, "no summary text, or no facts array");
      return FALSE;
    }
  for (guint i = 0; i < loom_toon_value_get_length (list); i++)
    {
      LoomToonValue *fact = loom_toon_value_array_get (list, i);
      g_autofree char *line = NULL;

      if (loom_toon_value_get_kind (fact) != LOOM_TOON_STRING)
        {
          g_autofree char *detail = g_strdup_printf (_("fact %u is not a text"), i + 1);
          bad_answer (error, what, detail);
          return FALSE;
        }
      line = g_strdup (loom_toon_value_get_string (fact, NULL));
      /* one a line: a fact's own line breaks would split it in two */
      g_string_append (facts, g_strdelimit (line, "\r\n", ' '));
      g_string_append_c (facts, '\n');
    }
  /* The writer may have written one meanwhile: theirs is kept, unless they asked. */
  if ((!data->replace_writers && has_writers_summary (store, data->scene, &local_error)) ||
      local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!loom_store_set_summary (store, data->scene, text, facts->str, LOOM_SUMMARY_GENERATED,
                               data->model, data->prose_fingerprint, error))
    return FALSE;
  data->added = 1;
  return TRUE;
}

/* Records how the request ended and returns @task's result: takes @error. */
static void
finish_structured (GTask  *task,
                   GError *error)
{
  RequestData *data = g_task_get_task_data (task);

  _loom_generator_finish_request (g_task_get_source_object (task), data->generation_id,
                                  &data->end, error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, data->added);
}

typedef struct
{
  char       *text;
  const char *what;
} DecodeData;

static void
decode_data_free (DecodeData *decode)
{
  g_free (decode->text);
  g_free (decode);
}

/* A long answer can take longer than a frame to decode: it is done off the main thread. */
static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DecodeData *decode = task_data;
  GError *error = NULL;
  LoomToonValue *root = decode_answer (decode->text, decode->what, &error);

  if (root == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, root, (GDestroyNotify) loom_toon_value_unref);
}

/* Back on the main thread, where the store is: check the answer's fields and add them. */
static void
on_decoded (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RequestData *data = g_task_get_task_data (task);
  LoomStore *store = loom_generator_get_store (LOOM_GENERATOR (source));
  g_autoptr(LoomToonValue) root = NULL;
  GError *error = NULL;

  root = g_task_propagate_pointer (G_TASK (result), &error);
  if (root != NULL)
    {
      if (data->kind == REQUEST_OUTLINE)
        apply_outline (store, data->story, root, &data->added, &error);
      else if (data->kind == REQUEST_SUMMARY)
        apply_summary (store, data, root, &error);
      else
        apply_characters (store, data->story, root, &data->added, &error);
    }
  finish_structured (task, error);
}

static void
on_structured_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RequestData *data = g_task_get_task_data (task);
  g_autoptr(LoomAiResult) answer = NULL;
  g_autoptr(GTask) decode = NULL;
  GError *error = NULL;
  DecodeData *decode_data;
  gpointer source_object;
  GCancellable *cancellable;

  answer = loom_ai_client_chat_finish (LOOM_AI_CLIENT (source), result, &error);
  if (answer == NULL)
    {
      finish_structured (task, error);
      return;
    }

  _loom_generator_end_set_usage (&data->end, answer);
  data->model = g_strdup (answer->model != NULL ? answer->model
                                                : loom_ai_client_get_model (LOOM_AI_CLIENT (source)));

  decode_data = g_new0 (DecodeData, 1);
  decode_data->text = g_steal_pointer (&answer->text);
  decode_data->what = what_for (data->kind);
  source_object = g_task_get_source_object (task);
  cancellable = g_task_get_cancellable (task);
  decode = g_task_new (source_object, cancellable, on_decoded, g_steal_pointer (&task));
  g_task_set_source_tag (decode, on_structured_done);
  g_task_set_task_data (decode, decode_data, (GDestroyNotify) decode_data_free);
  /* Stop answers at once; the decoding, which writes nothing, ends on its own. */
  g_task_set_return_on_cancel (decode, TRUE);
  g_task_run_in_thread (decode, decode_thread);
}

/* Reads what a summary request needs, or sets @error: a summary is not asked for over the
 * writer's own. Other requests need nothing more. */
static gboolean
prepare_request (LoomGenerator  *self,
                 RequestData    *data,
                 GError        **error)
{
  LoomStore *store = loom_generator_get_store (self);
  g_autoptr(GError) local_error = NULL;

  if (data->kind != REQUEST_SUMMARY)
    return TRUE;
  if ((!data->replace_writers && has_writers_summary (store, data->scene, &local_error)) ||
      local_error != NULL ||
      !loom_scene_load_prose (data->scene, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  data->prose_fingerprint = loom_summary_fingerprint_prose (loom_scene_get_prose (data->scene));
  return TRUE;
}

/* Records the request in the library: its generations row, or 0 with @error set. */
static gint64
record_request (LoomGenerator  *self,
                RequestData    *data,
                GError        **error)
{
  LoomStore *store = loom_generator_get_store (self);
  const char *model = loom_ai_client_get_model (loom_generator_get_client (self));

  if (data->kind != REQUEST_SUMMARY)
    return loom_store_record_request (store, data->story,
                                      data->kind == REQUEST_OUTLINE ? "outline" : "characters",
                                      model, error);
  return loom_store_begin_summary_request (store, data->scene, model, error);
}

static JsonArray *
new_messages (RequestKind  kind,
              const char  *description)
{
  JsonArray *messages = json_array_new ();

  loom_ai_messages_append (messages, "system", request_kinds[kind].instructions);
  loom_ai_messages_append (messages, "user", description);
  return messages;
}

/* The request's messages, after what it needs has been read: the same for the estimate
 * before asking the writer, the spending limits' check and the request itself. */
static JsonArray *
build_request (LoomGenerator  *self,
               RequestData    *data,
               GError        **error)
{
  g_autofree char *description = NULL;

  if (!prepare_request (self, data, error))
    return NULL;
  description = data->kind == REQUEST_SUMMARY
                ? describe_scene (data->scene, loom_scene_get_prose (data->scene))
                : describe_story (data->story, data->kind);
  return new_messages (data->kind, description);
}

static gint64
request_answer_tokens (RequestKind kind)
{
  return loom_estimate_answer_tokens (request_kinds[kind].answer_words, 0);
}

/* Adds the outline's, the characters' (@scene %NULL) or @scene's summary's request to
 * @estimate without sending it; loom-paid-action.c's for each action. */
gboolean
_loom_generator_estimate_structured (LoomGenerator  *self,
                                     LoomStory      *story,
                                     LoomScene      *scene,
                                     gboolean        outline,
                                     LoomEstimate   *estimate,
                                     GError        **error)
{
  RequestData data = {
    .story = story, .scene = scene,
    .kind = scene != NULL ? REQUEST_SUMMARY : outline ? REQUEST_OUTLINE : REQUEST_CHARACTERS,
  };
  g_autoptr(JsonArray) messages = build_request (self, &data, error);

  g_free (data.prose_fingerprint);
  if (messages == NULL)
    return FALSE;
  loom_estimate_add (estimate, loom_generator_get_store (self), loom_generator_get_client (self),
                     NULL, loom_prompt_estimate_tokens (messages),
                     request_answer_tokens (data.kind));
  return TRUE;
}

gboolean
_loom_generator_estimate_summary_after (LoomGenerator  *self,
                                        LoomScene      *scene,
                                        const char     *prose,
                                        LoomEstimate   *estimate,
                                        GError        **error)
{
  LoomStore *store = loom_generator_get_store (self);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *description = NULL;
  g_autoptr(JsonArray) messages = NULL;

  if (has_writers_summary (store, scene, &local_error))
    return TRUE;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  description = describe_scene (scene, prose);
  messages = new_messages (REQUEST_SUMMARY, description);
  loom_estimate_add_summary (estimate, store, loom_generator_get_client (self), NULL,
                             loom_prompt_estimate_tokens (messages),
                             request_answer_tokens (REQUEST_SUMMARY));
  return TRUE;
}

static void
structured_async (LoomGenerator       *self,
                  LoomStory           *story,
                  LoomScene           *scene,
                  RequestKind          kind,
                  gboolean             replace_writers,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data,
                  gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(RequestData) data = g_new0 (RequestData, 1);
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  LoomAiClient *client = loom_generator_get_client (self);
  LoomAiChatOptions options = LOOM_AI_CHAT_OPTIONS_INIT;
  double estimate = 0;

  g_task_set_source_tag (task, source_tag);
  data->story = g_object_ref (story);
  data->scene = scene != NULL ? g_object_ref (scene) : NULL;
  data->kind = kind;
  data->replace_writers = replace_writers;
  _loom_generator_end_set_usage (&data->end, NULL);

  if (!loom_ai_client_check (client, &error) ||
      (messages = build_request (self, data, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* the estimate first: a request refused by a limit leaves no generations row */
  if (!loom_generator_check_budget (self, story, loom_prompt_estimate_tokens (messages),
                                    request_answer_tokens (kind), &estimate, &error) ||
      (data->generation_id = record_request (self, data, &error)) == 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  _loom_generator_hold_request (self, story, data->generation_id, estimate);

  g_task_set_task_data (task, g_steal_pointer (&data), (GDestroyNotify) request_data_free);

  loom_ai_client_chat_async (client, messages, &options, NULL, NULL, cancellable,
                             on_structured_done, g_steal_pointer (&task));
}

/* How many items were added, -1 with @error set. */
static gssize
structured_finish (LoomGenerator  *self,
                   GAsyncResult   *result,
                   gpointer        source_tag,
                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_async_result_is_tagged (result, source_tag), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/**
 * loom_generator_outline_story_async:
 *
 * Asks the model for chapters and scenes from the story's title, premise, style and
 * characters, and adds them all in one transaction. A story that has chapters already gets the
 * new ones after them (the model is shown the existing titles); ask the writer first.
 */
void
loom_generator_outline_story_async (LoomGenerator       *self,
                                    LoomStory           *story,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (LOOM_IS_GENERATOR (self));
  g_return_if_fail (LOOM_IS_STORY (story));

  structured_async (self, story, NULL, REQUEST_OUTLINE, FALSE, cancellable, callback, user_data,
                    loom_generator_outline_story_async);
}

/* Returns: the number of chapters added, -1 with @error set. */
gssize
loom_generator_outline_story_finish (LoomGenerator  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  return structured_finish (self, result, loom_generator_outline_story_async, error);
}

/**
 * loom_generator_suggest_characters_async:
 *
 * Asks the model for characters the story needs and adds those the story does not have yet.
 */
void
loom_generator_suggest_characters_async (LoomGenerator       *self,
                                         LoomStory           *story,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (LOOM_IS_GENERATOR (self));
  g_return_if_fail (LOOM_IS_STORY (story));

  structured_async (self, story, NULL, REQUEST_CHARACTERS, FALSE, cancellable, callback, user_data,
                    loom_generator_suggest_characters_async);
}

/* Returns: the number of characters added (0 is a valid answer), -1 with @error set. */
gssize
loom_generator_suggest_characters_finish (LoomGenerator  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  return structured_finish (self, result, loom_generator_suggest_characters_async, error);
}

/**
 * loom_generator_summarize_scene_async:
 *
 * Asks the model for a summary of @scene's prose and the facts it established, and keeps them
 * as the scene's summary (replacing a generated one). Refused before any request when the
 * scene has a summary the writer wrote; an answer that does not fit changes nothing.
 */
void
loom_generator_summarize_scene_async (LoomGenerator       *self,
                                      LoomScene           *scene,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (LOOM_IS_GENERATOR (self));
  g_return_if_fail (LOOM_IS_SCENE (scene));

  structured_async (self, loom_scene_get_story (scene), scene, REQUEST_SUMMARY, FALSE,
                    cancellable, callback, user_data, loom_generator_summarize_scene_async);
}

/**
 * loom_generator_replace_summary_async:
 *
 * As loom_generator_summarize_scene_async(), over the summary the writer wrote too: only once
 * the writer has agreed to lose it. A failed request keeps it. Finish with
 * loom_generator_summarize_scene_finish().
 */
void
loom_generator_replace_summary_async (LoomGenerator       *self,
                                      LoomScene           *scene,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (LOOM_IS_GENERATOR (self));
  g_return_if_fail (LOOM_IS_SCENE (scene));

  structured_async (self, loom_scene_get_story (scene), scene, REQUEST_SUMMARY, TRUE,
                    cancellable, callback, user_data, loom_generator_summarize_scene_async);
}


gboolean
loom_generator_summarize_scene_finish (LoomGenerator  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  return structured_finish (self, result, loom_generator_summarize_scene_async, error) > 0;
}
