package io.peat;

import io.peat.proto.validation.v1.ValidationReport;
import io.peat.proto.validation.v1.Violation;

/**
 * A message is not valid: thrown by {@link Peat#requireValid} (with the full
 * report) and for PEAT_E_INVALID (an input that must be valid is not). The
 * code and field path are those of the first violation.
 */
public class ValidationException extends PeatException {
  private static final long serialVersionUID = 1L;

  private final transient ValidationReport report;

  /**
   * An exception for a message that is not valid.
   *
   * @param statusCode the numeric status (PEAT_E_INVALID, 10)
   * @param code the code of the first violation, e.g. "INVALID_NUMBER"
   * @param message a human-readable explanation
   * @param fieldPath the path of the first violation's field, or ""
   * @param report the full validation report, or null
   */
  public ValidationException(int statusCode, String code, String message, String fieldPath, ValidationReport report) {
    super(statusCode, code, message, fieldPath);
    this.report = report;
  }

  static ValidationException of(ValidationReport report) {
    Violation first = report.getViolationsCount() > 0 ? report.getViolations(0) : Violation.getDefaultInstance();
    String message = report.getType() + " has " + report.getViolationsCount() + " violation(s)"
        + (first.getMessage().isEmpty() ? "" : "; first: " + first.getMessage());
    return new ValidationException(Status.INVALID.code(), first.getCode(), message, first.getPath(), report);
  }

  /**
   * The full validation report: every violation, not only the first.
   *
   * @return the report, or null when the exception came from another call's PEAT_E_INVALID
   */
  public ValidationReport report() {
    return report;
  }
}
