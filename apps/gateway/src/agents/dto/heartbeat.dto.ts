import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { AGENT_STATES, type AgentState } from '@tracklight/protocol';

export class HeartbeatDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @IsIn(AGENT_STATES)
  state!: AgentState;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  action?: string;
}
