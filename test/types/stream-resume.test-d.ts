/**
 * The resume options exist exactly where a stream can resume: chatflow chats and workflow
 * runs (and `streamWorkflowEvents`, which follows one) take `resume`, `maxResumes` and `onResume`;
 * other streams and blocking calls do not.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { ChatflowClient, CompletionClient, EventStream, ResumeInfo, ResumeOptions, WorkflowClient } from "../../src/index.js";

declare const chatflow: ChatflowClient;
declare const workflow: WorkflowClient;
declare const completion: CompletionClient;
declare const stream: EventStream<unknown>;
const chat = { query: "你好", inputs: {}, user: "user-1", response_mode: "streaming" } as const;
const run = { inputs: {}, user: "user-1", response_mode: "streaming" } as const;

describe("resume options", () => {
  it("are taken by the streaming calls that can resume", () => {
    void chatflow.sendChatMessage(chat, { resume: false });
    void chatflow.sendChatMessage(chat, { maxResumes: 5, onResume: (info) => expectTypeOf(info).toEqualTypeOf<ResumeInfo>() });
    void workflow.runWorkflow(run, { resume: true, includePings: true });
    void workflow.runWorkflowById("wf-1", run, { onResume: ({ attempt, runId, cause }) => void [attempt, runId, cause] });
    // The resume stream resumes itself too (a run followed after its Human Input form).
    void workflow.streamWorkflowEvents("run-1", { user: "u", continue_on_pause: true }, { maxResumes: 1 });
    expectTypeOf<ResumeInfo>().toEqualTypeOf<{ attempt: number; runId: string; cause: Error }>();
    expectTypeOf<ResumeOptions["resume"]>().toEqualTypeOf<boolean | undefined>();
  });

  it("are refused where a stream cannot resume, and checked where it can", () => {
    // @ts-expect-error a completion has no run to resume
    void completion.sendCompletionMessage({ inputs: {}, user: "u", response_mode: "streaming" }, { resume: false });
    // @ts-expect-error a list call does not stream
    void chatflow.listConversations({ user: "u" }, { resume: false });
    // @ts-expect-error onResume's attempt is a number
    void chatflow.sendChatMessage(chat, { onResume: (info: { attempt: string }) => info });
  });

  it("every event stream says how many times it resumed", () => {
    expectTypeOf(stream.resumes).toEqualTypeOf<number>();
    // @ts-expect-error the count is read-only
    stream.resumes = 1;
  });
});
