/** Query DTO of `GET /runs` (paging and filters). */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { RUN_STATUSES } from '@qslam/db';

export class ListRunsQuery {
  @ApiPropertyOptional({ enum: RUN_STATUSES, description: 'Only runs with this status' })
  @IsOptional()
  @IsIn([...RUN_STATUSES])
  status?: string;

  @ApiPropertyOptional({ description: 'Only runs for this genome' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  genome?: string;

  @ApiPropertyOptional({ description: 'Only runs created by this user' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  created_by?: string;

  @ApiPropertyOptional({ description: 'Text searched in name and description' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}
