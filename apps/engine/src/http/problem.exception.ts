import { problem, type ProblemCode, type ProblemDocument, type ProblemFieldError } from './problem-types';

/** Thrown anywhere in the HTTP layer to answer with a specific problem; ProblemDetailsFilter renders it. */
export class ProblemException extends Error {
  readonly document: ProblemDocument;
  constructor(code: ProblemCode, detail: string, extra: { errors?: readonly ProblemFieldError[]; [k: string]: unknown } = {}) {
    super(detail);
    this.name = 'ProblemException';
    this.document = problem(code, detail, extra);
  }
}
