import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** Agent ids are path segments and log fields: letters, digits and `_ . -`, at most 100. */
@Injectable()
export class AgentIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!AGENT_ID.test(value)) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Validation failed',
        fields: [
          { field: 'agentId', errors: ['agentId must be 1-100 letters, digits, _ . or -, starting alphanumeric'] },
        ],
      });
    }
    return value;
  }
}
