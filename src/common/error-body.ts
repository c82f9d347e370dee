/** The one body of every 4xx and 5xx answer. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
  request_id?: string;
}
