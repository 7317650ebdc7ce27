/* loom-review-dialog.c
 *
 * Nothing is sent until the writer presses the action's button: a menu item or a shortcut only
 * opens this dialog, so no slip spends money. The answer streams into the dialog, never into
 * the prose; when it has come, each change is a row with Accept and Reject. Apply writes what
 * was accepted in one store transaction (the prose before becomes a revision); the window
 * records it as one step of its undo stack, and the editor's text changes as one step of its
 * own history, so Ctrl+Z takes it back wherever the focus is. Stop, an error or closing the
 * dialog leave the prose untouched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-review-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "loom-chapter.h"
#include "loom-context-budget.h"
#include "loom-generation-util.h"
#include "loom-budget.h"
#include "loom-paid-question.h"
#include "loom-prompt-dialog.h"
#include "loom-review-dialog.h"
#include "loom-revision.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"

#define CONTEXT_BYTES 48
#define RECENT_SHOWN  10

struct _LoomReviewDialog
{
  AdwWindow         parent_instance;

  /* template children */
  AdwWindowTitle   *title;
  GtkButton        *send_button;
  GtkButton        *apply_button;
  GtkButton        *stop_button;
  GtkEntry         *instruction_entry;
  GtkWidget        *extra_box;
  GtkEntry         *extra_entry;
  GtkMenuButton    *recent_button;
  GtkWidget        *length_box;
  GtkSpinButton    *length_spin;
  GtkLabel         *passage_label;
  GtkStack         *stack;
  GtkTextView      *answer_view;
  GtkListBox       *changes_list;
  GtkLabel         *error_label;
  GtkLabel         *cost_label;
  GtkWidget        *action_bar;

  /* owned */
  LoomGenerator    *generator;
  LoomScene        *scene;
  LoomReview       *review;
  GCancellable     *cancellable;
  GPtrArray        *rows;
  GtkTextView      *prose_view;  /* weak: the editor showing the scene's prose */

  LoomReviseAction  action;
  gsize             from;
  gsize             to;
};

G_DEFINE_FINAL_TYPE (LoomReviewDialog, loom_review_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_APPLIED,
  SIGNAL_REFUSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
loom_revise_action_get_label (LoomReviseAction action)
{
  switch (action)
    {
    case LOOM_REVISE_CONTINUE:
      return C_("revise action", "Continue");
    case LOOM_REVISE_REWRITE:
      return C_("revise action", "Rewrite");
    case LOOM_REVISE_EXPAND:
      return C_("revise action", "Expand");
    case LOOM_REVISE_SHORTEN:
      return C_("revise action", "Shorten");
    case LOOM_REVISE_DESCRIBE:
      return C_("revise action", "Describe");
    case LOOM_REVISE_ASK:
    default:
      return C_("revise action", "Ask");
    }
}

/* The send button's label, with its mnemonic. */
static const char *
send_label (LoomReviseAction action)
{
  switch (action)
    {
    case LOOM_REVISE_CONTINUE:
      return C_("revise button", "_Continue");
    case LOOM_REVISE_REWRITE:
      return C_("revise button", "_Rewrite");
    case LOOM_REVISE_EXPAND:
      return C_("revise button", "_Expand");
    case LOOM_REVISE_SHORTEN:
      return C_("revise button", "_Shorten");
    case LOOM_REVISE_DESCRIBE:
      return C_("revise button", "_Describe");
    case LOOM_REVISE_ASK:
    default:
      return C_("revise button", "_Ask");
    }
}

static LoomStore *
get_store (LoomReviewDialog *self)
{
  return loom_generator_get_store (self->generator);
}

static LoomStory *
get_story (LoomReviewDialog *self)
{
  return loom_chapter_get_story (loom_scene_get_chapter (self->scene));
}

static void
update_actions (LoomReviewDialog *self)
{
  gboolean busy = self->cancellable != NULL;
  gboolean reviewing = self->review != NULL;
  guint n_changes = reviewing ? loom_review_get_n_changes (self->review) : 0;
  guint accepted = reviewing ? loom_review_count (self->review, LOOM_CHANGE_ACCEPTED) : 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.send", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.show-prompt", !busy && !reviewing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.stop", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.apply", accepted > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.accept-all", n_changes > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.reject-all", n_changes > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->send_button), !busy && !reviewing);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->apply_button), reviewing);
  gtk_widget_set_visible (self->action_bar, reviewing || gtk_label_get_label (self->cost_label)[0]);
  gtk_editable_set_editable (GTK_EDITABLE (self->instruction_entry), !busy && !reviewing);
  gtk_editable_set_editable (GTK_EDITABLE (self->extra_entry), !busy && !reviewing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->length_spin), !busy && !reviewing);
}

/* A change as the writer reads it: a few words around it, the removed words struck through
 * and the added ones underlined. */
static char *
change_markup (LoomReview             *review,
               const LoomReviewChange *change)
{
  const char *passage = loom_review_get_passage (review);
  const char *answer = loom_review_get_answer (review);
  gsize length = strlen (passage);
  const char *before = passage + (change->old_start > CONTEXT_BYTES
                                    ? change->old_start - CONTEXT_BYTES : 0);
  const char *after_end = passage + MIN (length, change->old_end + CONTEXT_BYTES);
  g_autofree char *lead = NULL;
  g_autofree char *removed = NULL;
  g_autofree char *added = NULL;
  g_autofree char *trail = NULL;

  /* Whole characters, and whole words where the context was cut. */
  while (before > passage && (*before & 0xc0) == 0x80)
    before++;
  if (before > passage && strchr (before, ' ') != NULL &&
      strchr (before, ' ') < passage + change->old_start)
    before = strchr (before, ' ') + 1;
  while (after_end < passage + length && (*after_end & 0xc0) == 0x80)
    after_end++;

  lead = g_markup_escape_text (before, passage + change->old_start - before);
  removed = g_markup_escape_text (passage + change->old_start,
                                  change->old_end - change->old_start);
  added = g_markup_escape_text (answer + change->new_start, change->new_end - change->new_start);
  trail = g_markup_escape_text (passage + change->old_end,
                                after_end - (passage + change->old_end));
  return g_strdup_printf ("%s%s<s>%s</s><u><b>%s</b></u>%s%s",
                          before > passage ? "…" : "", lead, removed, added, trail,
                          after_end < passage + length ? "…" : "");
}

static void
on_choice_toggled (GtkToggleButton  *button,
                   LoomReviewDialog *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "change"));
  LoomChangeState state = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "state"));

  if (self->review == NULL || !gtk_toggle_button_get_active (button))
    return;
  loom_review_set_state (self->review, index, state);
  update_actions (self);
}

static GtkWidget *
choice_button (LoomReviewDialog *self,
               guint             index,
               LoomChangeState   state)
{
  GtkWidget *button = gtk_toggle_button_new_with_label (state == LOOM_CHANGE_ACCEPTED
                                                          ? _("Accept") : _("Reject"));
  g_autofree char *name = state == LOOM_CHANGE_ACCEPTED
                            ? g_strdup_printf (_("Accept Change %u"), index + 1)
                            : g_strdup_printf (_("Reject Change %u"), index + 1);

  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  g_object_set_data (G_OBJECT (button), "change", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (button), "state", GUINT_TO_POINTER (state));
  g_signal_connect (button, "toggled", G_CALLBACK (on_choice_toggled), self);
  return button;
}

static GtkWidget *
change_row (LoomReviewDialog *self,
            guint             index)
{
  const LoomReviewChange *change = loom_review_get_change (self->review, index);
  g_autofree char *markup = change_markup (self->review, change);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *choices = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *accept = choice_button (self, index, LOOM_CHANGE_ACCEPTED);
  GtkWidget *reject = choice_button (self, index, LOOM_CHANGE_REJECTED);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (reject), GTK_TOGGLE_BUTTON (accept));
  gtk_widget_add_css_class (choices, "linked");
  gtk_widget_set_valign (choices, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (choices), accept);
  gtk_box_append (GTK_BOX (choices), reject);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), choices);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  g_object_set_data (G_OBJECT (box), "accept", accept);
  g_object_set_data (G_OBJECT (box), "reject", reject);
  return box;
}

static void
show_review (LoomReviewDialog *self)
{
  guint n = loom_review_get_n_changes (self->review);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = change_row (self, i);

      gtk_list_box_append (self->changes_list, row);
      g_ptr_array_add (self->rows, row);
    }
  if (n == 0)
    {
      gtk_label_set_text (self->error_label, _("The AI proposes no change to the passage."));
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "review");
}

static void
show_cost (LoomReviewDialog *self)
{
  g_autofree char *cost = loom_generation_format_cost (loom_review_get_cost (self->review));
  gint64 prompt = loom_review_get_prompt_tokens (self->review);
  gint64 answer = loom_review_get_completion_tokens (self->review);
  g_autofree char *tokens = NULL;
  g_autofree char *text = NULL;

  if (prompt >= 0 && answer >= 0)
    /* TRANSLATORS: tokens sent and received, e.g. "1204 + 310 tokens" */
    tokens = g_strdup_printf (_("%u + %u tokens"), (guint) prompt, (guint) answer);
  if (cost != NULL && tokens != NULL)
    /* TRANSLATORS: the cost of one request, e.g. "This request: $0.0031, 1204 + 310 tokens" */
    text = g_strdup_printf (_("This request: %s, %s"), cost, tokens);
  else if (cost != NULL || tokens != NULL)
    text = g_strdup_printf (_("This request: %s"), cost ? cost : tokens);
  else
    text = g_strdup (_("The server did not say what this request cost."));
  gtk_label_set_text (self->cost_label, text);
}

static void
on_delta (const char *delta,
          gpointer    user_data)
{
  LoomReviewDialog *self = user_data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->answer_view);
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, delta, -1);
}

static void
on_revised (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LoomReviewDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  LoomReview *review;

  review = loom_generator_revise_finish (LOOM_GENERATOR (source), result, &error);
  /* Closed meanwhile: nothing to show, and nothing was written. */
  if (self->scene == NULL)
    {
      g_clear_object (&review);
      return;
    }
  g_clear_object (&self->cancellable);
  if (review == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        text = g_strdup (_("Stopped. The prose is as it was."));
      else
        /* TRANSLATORS: %s is a sentence saying what went wrong */
        text = g_strdup_printf (_("%s The prose is as it was."), error->message);
      gtk_label_set_text (self->error_label, text);
      gtk_stack_set_visible_child_name (self->stack, "error");
      update_actions (self);
      if (error->domain == LOOM_BUDGET_ERROR)
        g_signal_emit (self, signals[SIGNAL_REFUSED], 0, error);
      return;
    }
  self->review = review;
  show_cost (self);
  if (loom_review_get_cut_off (review))
    gtk_label_set_text (self->passage_label,
                        _("The answer stopped at the model’s length limit: its end is missing, "
                          "so the end of the passage shows as removed. Reject that change."));
  show_review (self);
  update_actions (self);
}

/* The request as the dialog's fields say now. */
static void
read_request (LoomReviewDialog  *self,
              LoomReviseRequest *request)
{
  *request = (LoomReviseRequest) LOOM_REVISE_REQUEST_INIT;
  request->action = self->action;
  request->from = self->from;
  request->to = self->to;
  request->instruction = gtk_editable_get_text (GTK_EDITABLE (self->instruction_entry));
  if (gtk_widget_get_visible (self->extra_box))
    request->extra = gtk_editable_get_text (GTK_EDITABLE (self->extra_entry));
  if (self->action == LOOM_REVISE_CONTINUE)
    {
      /* A number typed but not yet confirmed with Return counts too. */
      gtk_spin_button_update (self->length_spin);
      request->continue_words = gtk_spin_button_get_value_as_int (self->length_spin);
    }
}

static void
start_request (GObject  *owner,
               gpointer  data)
{
  LoomReviewDialog *self = LOOM_REVIEW_DIALOG (owner);
  LoomReviseRequest request;

  if (self->cancellable != NULL || self->review != NULL)
    return;
  read_request (self, &request);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->answer_view), "", -1);
  gtk_stack_set_visible_child_name (self->stack, "streaming");
  self->cancellable = g_cancellable_new ();
  update_actions (self);
  loom_generator_revise_async (self->generator, self->scene, &request, on_delta, self,
                               self->cancellable, on_revised, g_object_ref (self));
}

/**
 * loom_review_dialog_send:
 *
 * Sends the request as the dialog's fields say, without asking again: after a spending limit
 * refused it and the writer raised the limit.
 */
void
loom_review_dialog_send (LoomReviewDialog *self)
{
  g_return_if_fail (LOOM_IS_REVIEW_DIALOG (self));

  /* closed meanwhile */
  if (self->scene == NULL)
    return;
  start_request (G_OBJECT (self), NULL);
}

/* Send asks first when the estimate is above the threshold set in Preferences. */
static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LoomReviewDialog *self = LOOM_REVIEW_DIALOG (widget);
  LoomReviseRequest request;
  LoomPaidAction action = { LOOM_PAID_REVISE, NULL, NULL, self->scene, 0, &request };

  if (self->cancellable != NULL || self->review != NULL)
    return;
  read_request (self, &request);
  loom_paid_question_run (GTK_WINDOW (self), self->generator, &action, _("Send the Request?"),
                          send_label (self->action), G_OBJECT (self), start_request, NULL, NULL);
}

/* The messages the request would send now; the refusal of a passage too long for the model
 * waits for the button that sends, so that the writer can still read them. */
static JsonArray *
preview_messages (LoomReviewDialog  *self,
                  guint             *tokens,
                  GError           **error)
{
  LoomReviseRequest request;

  read_request (self, &request);
  request.context_tokens = G_MAXINT32;
  request.context_budget = loom_context_budget_get (loom_generator_get_store (self->generator),
                                                    loom_generator_get_client (self->generator),
                                                    NULL);
  return loom_revise_build_messages (self->scene, &request, tokens, error);
}

static void
on_prompt_instruction (LoomReviewDialog *self,
                       GParamSpec       *pspec,
                       LoomPromptDialog *dialog)
{
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  guint tokens = 0;

  /* An instruction being typed may not make a request yet (Ask with none): keep the last. */
  messages = preview_messages (self, &tokens, &error);
  if (messages != NULL)
    loom_prompt_dialog_set_messages (dialog, messages, tokens);
  else
    g_debug ("The prompt is not shown again: %s", error->message);
}

static void
show_prompt_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LoomReviewDialog *self = LOOM_REVIEW_DIALOG (widget);
  LoomAiClient *client = loom_generator_get_client (self->generator);
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  LoomPromptDialog *dialog;
  guint tokens = 0;

  if (self->cancellable != NULL || self->review != NULL)
    return;
  messages = preview_messages (self, &tokens, &error);
  if (messages == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  /* TRANSLATORS: the prompt dialog's title for a selection action, e.g. "Prompt for Rewrite" */
  title = g_strdup_printf (_("Prompt for %s"), loom_revise_action_get_label (self->action));
  dialog = loom_prompt_dialog_new_for_messages (messages, tokens, title,
                                                loom_ai_client_get_model (client),
                                                gtk_editable_get_text (
                                                  GTK_EDITABLE (self->instruction_entry)));
  /* What is edited there is this request's instruction, sent by this dialog's button; the
   * story's own wording changes only by "Keep for This Story". */
  g_object_bind_property (self->instruction_entry, "text", dialog, "instruction",
                          G_BINDING_BIDIRECTIONAL);
  g_signal_connect_object (dialog, "notify::instruction", G_CALLBACK (on_prompt_instruction),
                           self, G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LoomReviewDialog *self = LOOM_REVIEW_DIALOG (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
set_all (LoomReviewDialog *self,
         LoomChangeState   state)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      gtk_toggle_button_set_active (g_object_get_data (G_OBJECT (row),
                                                       state == LOOM_CHANGE_ACCEPTED ? "accept"
                                                                                     : "reject"),
                                    TRUE);
    }
  loom_review_set_all (self->review, state);
  update_actions (self);
}

static void
choose_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LoomReviewDialog *self = LOOM_REVIEW_DIALOG (widget);

  if (self->review != NULL)
    set_all (self, g_str_equal (action_name, "review.accept-all") ? LOOM_CHANGE_ACCEPTED
                                                                   : LOOM_CHANGE_REJECTED);
}

/* Makes the accepted changes in the editor's text as one step of its own undo history, so
 * that Ctrl+Z in the prose takes them back like any typing. Only when the editor shows the
 * text the request was made from; otherwise the store's write reloads it. */
static gboolean
edit_prose_view (LoomReviewDialog *self)
{
  const char *base = loom_review_get_base_prose (self->review);
  g_autofree char *shown = NULL;
  g_autofree char *text = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (self->prose_view == NULL)
    return FALSE;
  buffer = gtk_text_view_get_buffer (self->prose_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  shown = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  if (!g_str_equal (shown, base))
    return FALSE;

  text = loom_review_get_text (self->review);
  gtk_text_buffer_get_iter_at_offset (buffer, &start,
                                      g_utf8_strlen (base, loom_review_get_from (self->review)));
  gtk_text_buffer_get_iter_at_offset (buffer, &end,
                                      g_utf8_strlen (base, loom_review_get_to (self->review)));
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, text, -1);
  gtk_text_buffer_end_user_action (buffer);
  return TRUE;
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LoomReviewDialog *self = LOOM_REVIEW_DIALOG (widget);
  g_autoptr(LoomRevision) before = NULL;
  g_autoptr(GError) error = NULL;
  gboolean edited;

  if (self->review == NULL || loom_review_count (self->review, LOOM_CHANGE_ACCEPTED) == 0)
    return;
  before = loom_store_snapshot_prose (get_store (self), self->scene, &error);
  edited = before != NULL && edit_prose_view (self);
  if (before == NULL || !loom_review_apply (self->review, &error))
    {
      if (edited)
        gtk_text_buffer_undo (gtk_text_view_get_buffer (self->prose_view));
      gtk_label_set_text (self->error_label, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      gtk_widget_action_set_enabled (widget, "review.apply", FALSE);
      return;
    }
  /* The editor's text is the stored prose: it has nothing left to save. */
  if (edited)
    gtk_widget_activate_action (GTK_WIDGET (self->prose_view), "win.save", NULL);
  g_signal_emit (self, signals[SIGNAL_APPLIED], 0, self->scene, before,
                 loom_revise_action_get_label (self->action));
  gtk_window_close (GTK_WINDOW (self));
}

static void
template_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LoomReviewDialog *self = LOOM_REVIEW_DIALOG (widget);
  gboolean reset = g_str_equal (action_name, "review.reset-template");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->instruction_entry));
  g_autoptr(GError) error = NULL;

  if (!loom_store_set_revise_template (get_store (self), get_story (self), self->action,
                                       reset ? NULL : text, &error))
    {
      gtk_label_set_text (self->cost_label, error->message);
      update_actions (self);
      return;
    }
  if (reset)
    gtk_editable_set_text (GTK_EDITABLE (self->instruction_entry),
                           loom_revise_default_instruction (self->action));
  gtk_label_set_text (self->cost_label, reset ? _("The default instruction is back.")
                                              : _("Kept for this story."));
  update_actions (self);
}

static void
use_recent_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LoomReviewDialog *self = LOOM_REVIEW_DIALOG (widget);
  /* The writer's words where the action takes them, else as its instruction */
  GtkEditable *entry = gtk_widget_get_visible (self->extra_box)
                         ? GTK_EDITABLE (self->extra_entry)
                         : GTK_EDITABLE (self->instruction_entry);

  gtk_editable_set_text (entry, g_variant_get_string (parameter, NULL));
}

static void
fill_recent (LoomReviewDialog *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) recent = loom_store_list_recent_instructions (get_store (self),
                                                               get_story (self), &error);

  for (guint i = 0; recent != NULL && recent[i] != NULL && i < RECENT_SHOWN; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (recent[i], NULL);

      g_menu_item_set_action_and_target_value (item, "review.use-recent",
                                               g_variant_new_string (recent[i]));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (self->recent_button, G_MENU_MODEL (menu));
  gtk_widget_set_sensitive (GTK_WIDGET (self->recent_button),
                            recent != NULL && recent[0] != NULL);
}

static void
show_passage (LoomReviewDialog *self)
{
  const char *prose = loom_scene_get_prose (self->scene) ? loom_scene_get_prose (self->scene) : "";
  g_autofree char *passage = g_strndup (prose + self->from, self->to - self->from);
  g_autofree char *tail = NULL;
  g_autofree char *text = NULL;

  if (self->action == LOOM_REVISE_CONTINUE)
    {
      g_autofree char *before = g_strndup (prose, self->to);

      tail = loom_prompt_last_words (before, 30);
      /* TRANSLATORS: %s is the end of the text before the cursor */
      text = g_strdup_printf (_("Continues after: %s"), tail);
    }
  else
    /* TRANSLATORS: %s is the selected text */
    text = g_strdup_printf (_("Passage: %s"), passage);
  gtk_label_set_text (self->passage_label, text);
}

static gboolean
on_close_request (GtkWindow *window)
{
  LoomReviewDialog *self = LOOM_REVIEW_DIALOG (window);

  /* Closing stops the request; the prose was never touched. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return FALSE;
}

/**
 * loom_review_dialog_new:
 * @from: where the passage begins in the scene's prose, in bytes
 * @to: where it ends (Continue writes there)
 *
 * The scene's prose must be loaded and saved: the request is made from it as it is.
 */
LoomReviewDialog *
loom_review_dialog_new (GtkWindow        *parent,
                        LoomGenerator    *generator,
                        LoomScene        *scene,
                        LoomReviseAction  action,
                        gsize             from,
                        gsize             to)
{
  LoomReviewDialog *self;
  g_autofree char *title = NULL;
  g_autofree char *instruction = NULL;
  const char *prose;

  g_return_val_if_fail (LOOM_IS_GENERATOR (generator), NULL);
  g_return_val_if_fail (LOOM_IS_SCENE (scene), NULL);

  prose = loom_scene_get_prose (scene) ? loom_scene_get_prose (scene) : "";
  g_return_val_if_fail (from <= to && to <= strlen (prose), NULL);

  self = g_object_new (LOOM_TYPE_REVIEW_DIALOG, "transient-for", parent, NULL);
  self->generator = g_object_ref (generator);
  self->scene = g_object_ref (scene);
  self->action = action;
  self->from = from;
  self->to = to;

  adw_window_title_set_title (self->title, loom_revise_action_get_label (action));
  adw_window_title_set_subtitle (self->title, _("Nothing changes until you apply"));
  gtk_button_set_label (self->send_button, send_label (action));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->send_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  loom_revise_action_get_label (action), -1);
  instruction = loom_revise_get_instruction (get_store (self), get_story (self), action);
  gtk_editable_set_text (GTK_EDITABLE (self->instruction_entry), instruction);
  gtk_widget_set_visible (self->extra_box,
                          action == LOOM_REVISE_REWRITE || action == LOOM_REVISE_ASK);
  gtk_widget_set_visible (self->length_box, action == LOOM_REVISE_CONTINUE);
  gtk_spin_button_set_range (self->length_spin, 10, LOOM_REVISE_MAX_CONTINUE);
  gtk_spin_button_set_value (self->length_spin, LOOM_REVISE_DEFAULT_CONTINUE);
  show_passage (self);
  fill_recent (self);
  update_actions (self);
  return self;
}

/**
 * loom_review_dialog_set_prose_view:
 *
 * The editor showing the scene's prose: applying changes its text as an edit that its own
 * Ctrl+Z takes back, besides writing the library.
 */
void
loom_review_dialog_set_prose_view (LoomReviewDialog *self,
                                   GtkTextView      *prose_view)
{
  g_return_if_fail (LOOM_IS_REVIEW_DIALOG (self));
  g_return_if_fail (prose_view == NULL || GTK_IS_TEXT_VIEW (prose_view));

  g_set_weak_pointer (&self->prose_view, prose_view);
}

LoomReview *
loom_review_dialog_get_review (LoomReviewDialog *self)
{
  g_return_val_if_fail (LOOM_IS_REVIEW_DIALOG (self), NULL);
  return self->review;
}

gboolean
loom_review_dialog_get_busy (LoomReviewDialog *self)
{
  g_return_val_if_fail (LOOM_IS_REVIEW_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

/* The row of change @index: a box whose "accept" and "reject" data are its buttons. */
GtkWidget *
loom_review_dialog_get_change_row (LoomReviewDialog *self,
                                   guint             index)
{
  g_return_val_if_fail (LOOM_IS_REVIEW_DIALOG (self), NULL);
  return index < self->rows->len ? g_ptr_array_index (self->rows, index) : NULL;
}

static void
loom_review_dialog_dispose (GObject *object)
{
  LoomReviewDialog *self = LOOM_REVIEW_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_REVIEW_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->review);
  g_clear_object (&self->scene);
  g_clear_object (&self->generator);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_weak_pointer (&self->prose_view);

  G_OBJECT_CLASS (loom_review_dialog_parent_class)->dispose (object);
}

static void
loom_review_dialog_class_init (LoomReviewDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = loom_review_dialog_dispose;
  window_class->close_request = on_close_request;

  /**
   * LoomReviewDialog::applied:
   * @before: the prose before, as a revision not in the library, for undo
   * @label: the action, e.g. "Rewrite"
   */
  signals[SIGNAL_APPLIED] =
    g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, LOOM_TYPE_SCENE, LOOM_TYPE_REVISION, G_TYPE_STRING);
  /**
   * LoomReviewDialog::refused:
   * @error: the spending limit's refusal (%LOOM_BUDGET_ERROR); nothing was sent
   *
   * The error page shows the sentence; the window may offer to raise the limit and then
   * loom_review_dialog_send () again.
   */
  signals[SIGNAL_REFUSED] =
    g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/generation/"
                                               "loom-review-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, title);
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, send_button);
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, apply_button);
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, stop_button);
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, instruction_entry);
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, extra_box);
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, extra_entry);
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, recent_button);
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, length_box);
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, length_spin);
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, passage_label);
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, answer_view);
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, changes_list);
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, cost_label);
  gtk_widget_class_bind_template_child (widget_class, LoomReviewDialog, action_bar);

  gtk_widget_class_install_action (widget_class, "review.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "review.show-prompt", NULL, show_prompt_action);
  gtk_widget_class_install_action (widget_class, "review.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "review.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "review.accept-all", NULL, choose_all_action);
  gtk_widget_class_install_action (widget_class, "review.reject-all", NULL, choose_all_action);
  gtk_widget_class_install_action (widget_class, "review.save-template", NULL, template_action);
  gtk_widget_class_install_action (widget_class, "review.reset-template", NULL, template_action);
  gtk_widget_class_install_action (widget_class, "review.use-recent", "s", use_recent_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "review.send", NULL);
}

static void
loom_review_dialog_init (LoomReviewDialog *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
